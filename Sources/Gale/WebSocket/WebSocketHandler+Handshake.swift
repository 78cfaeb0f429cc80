import Crypto
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension WebSocketHandler {
    /// Checks the handshake request as Tornado does, answering a bad one itself; returns what
    /// the transport needs to accept a good one.
    func handshake() throws -> WebSocketAcceptance? {
        let headers = request.headers
        guard headers["Upgrade"]?.lowercased() == "websocket" else {
            return try refuseHandshake(400, #"Can "Upgrade" only to "WebSocket"."#)
        }
        guard Self.listItems(headers["Connection"]).contains(where: { $0.lowercased() == "upgrade" }) else {
            return try refuseHandshake(400, #""Connection" must be "Upgrade"."#)
        }
        if let origin = headers["Origin"] ?? headers["Sec-Websocket-Origin"], !isSameOrigin(origin),
            !checkOrigin(origin)
        {
            application.logger.debug("\(requestSummary): cross-origin WebSocket from \(origin) refused")
            return try refuseHandshake(403, "Cross origin websockets not allowed")
        }
        guard let version = headers["Sec-WebSocket-Version"], ["7", "8", "13"].contains(version) else {
            try setStatus(426, reason: "Upgrade Required")
            try setHeader("Sec-WebSocket-Version", "13")
            try finish()
            return nil
        }
        guard let key = headers["Sec-WebSocket-Key"], !key.isEmpty, headers["Host"] != nil else {
            return try refuseHandshake(400, "Missing/Invalid WebSocket headers")
        }
        var response: HTTPHeaders = [
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": Self.acceptValue(for: key),
        ]
        let offered = Self.listItems(headers["Sec-WebSocket-Protocol"])
        if let chosen = selectSubprotocol(offered) {
            guard offered.contains(chosen) else {
                throw ProgrammerError("selectSubprotocol chose \(chosen), which the client did not offer")
            }
            try Self.checkHeaderValue(chosen, for: "Sec-WebSocket-Protocol")
            selectedSubprotocol = chosen
            response.add("Sec-WebSocket-Protocol", chosen)
        }
        let settings = application.settings
        return WebSocketAcceptance(
            responseHeaders: response,
            extensionOffers: headers.values(for: "Sec-WebSocket-Extensions").flatMap { Self.listItems($0) },
            compression: getCompressionOptions(),
            maxMessageSize: settings.websocketMaxMessageSize,
            pingInterval: settings.websocketPingInterval,
            pingTimeout: settings.effectiveWebsocketPingTimeout)
    }

    private func refuseHandshake(_ status: Int, _ message: String) throws -> WebSocketAcceptance? {
        application.logger.debug("\(requestSummary): \(message)")
        try setStatus(status)
        try finish(message)
        return nil
    }

    /// Whether `origin` is this server's own, as a browser reports it: `Sec-Fetch-Site:
    /// same-origin`, or the origin's host and port equal to the `Host` header. Tornado:
    /// `_check_cross_origin`. A `ws://` or `wss://` origin is no browser page's (pages are
    /// `http(s)://` or `null`); clients such as swift-websocket's send one, and pass.
    private func isSameOrigin(_ origin: String) -> Bool {
        if request.headers["Sec-Fetch-Site"]?.lowercased() == "same-origin" { return true }
        let lowered = origin.lowercased()
        if lowered.hasPrefix("ws://") || lowered.hasPrefix("wss://") { return true }
        let parts = origin.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // "scheme:", "", "host[:port]", then the path if any.
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty else { return false }
        return parts[2].lowercased() == request.host.lowercased()
    }

    /// The items of a comma-separated header value (RFC 9110 §5.6.1), trimmed, empty ones left out.
    static func listItems(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map { String($0.trimmingSpaces()) }.filter { !$0.isEmpty }
    }

    /// `Sec-WebSocket-Accept` for a client's key (RFC 6455 §4.2.2): base64 of the SHA-1 of the
    /// key and the protocol's fixed GUID.
    static func acceptValue(for key: String) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return Data(hasher.finalize()).base64EncodedString()
    }
}
