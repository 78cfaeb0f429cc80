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
        // Browsers do not hold WebSockets to the same-origin policy: the check is always on,
        // whatever `crossOriginProtection` says, as in Tornado.
        if let refusal = crossOriginRefusal(
            origin: headers["Origin"] ?? headers["Sec-Websocket-Origin"], check: checkOrigin)
        {
            application.logger.debug("\(requestSummary): cross-origin WebSocket refused: \(refusal)")
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
