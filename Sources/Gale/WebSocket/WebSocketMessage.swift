/// One whole WebSocket message, however many frames carried it.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message (valid UTF-8, or the connection was closed with 1007).
    case text(String)
    /// A binary message.
    case binary([UInt8])

    /// The text of a text message; `nil` for binary.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The message's bytes: UTF-8 for text.
    public var bytes: [UInt8] {
        switch self {
        case .text(let text): Array(text.utf8)
        case .binary(let bytes): bytes
        }
    }
}

/// Writing to a WebSocket that has closed. Tornado: `tornado.websocket.WebSocketClosedError`.
public struct WebSocketClosedError: Error, Sendable, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    public var description: String { "the WebSocket is closed" }
}

/// permessage-deflate (RFC 7692) settings; returning any value from
/// `WebSocketHandler.getCompressionOptions()` turns compression on. Tornado: the dictionary
/// `get_compression_options` returns (`compression_level`, `mem_level`).
public struct WebSocketCompressionOptions: Sendable, Equatable {
    /// zlib's compression level, 0-9; `nil` for zlib's default. Tornado: `compression_level`.
    public var compressionLevel: Int?
    /// zlib's memory level, 1-9; `nil` for zlib's default. Tornado: `mem_level`.
    public var memoryLevel: Int?
    /// Messages shorter than this go out uncompressed: deflating them costs more than it saves.
    public var minimumSize: Int

    /// Creates options; the defaults are zlib's, and 256 bytes.
    public init(compressionLevel: Int? = nil, memoryLevel: Int? = nil, minimumSize: Int = 256) {
        self.compressionLevel = compressionLevel
        self.memoryLevel = memoryLevel
        self.minimumSize = minimumSize
    }
}

/// RFC 6455's rules for what a close frame may carry, shared by the server and the client.
package enum WebSocketCloseRules {
    /// Whether an endpoint may send `code` (RFC 6455 §7.4); others become 1000.
    package static func isSendable(_ code: Int) -> Bool {
        (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code)
    }

    /// `reason` cut to the 123 bytes a close frame has room for, on a character boundary.
    package static func fitting(_ reason: String) -> String {
        guard reason.utf8.count > 123 else { return reason }
        var cut = ""
        for character in reason {
            if cut.utf8.count + String(character).utf8.count > 123 { break }
            cut.append(character)
        }
        return cut
    }
}
