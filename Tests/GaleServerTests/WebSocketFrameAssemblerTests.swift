import CompressNIO
import Gale
import NIOCore
import NIOWebSocket
import Testing

@testable import GaleServer

/// The frame rules of RFC 6455 and RFC 7692, without a socket.
@Suite struct WebSocketFrameAssemblerTests {
    let key = WebSocketMaskingKey([0x12, 0x34, 0x56, 0x78] as [UInt8])!

    func frame(
        _ opcode: WebSocketOpcode, _ bytes: [UInt8], fin: Bool = true, rsv1: Bool = false, masked: Bool = true
    ) -> WebSocketFrame {
        var data = ByteBuffer(bytes: bytes)
        if masked { data.webSocketMask(key) }
        return WebSocketFrame(fin: fin, rsv1: rsv1, opcode: opcode, maskKey: masked ? key : nil, data: data)
    }

    func assembler(max: Int = 1000, compression: Bool = false) -> WebSocketFrameAssembler {
        WebSocketFrameAssembler(maxMessageSize: max, compressionNegotiated: compression)
    }

    func message(_ outcome: WebSocketFrameAssembler.Outcome) -> (binary: Bool, compressed: Bool, bytes: [UInt8])? {
        guard case .message(let message) = outcome else { return nil }
        return (message.binary, message.compressed, Array(message.payload.readableBytesView))
    }

    func failure(_ outcome: WebSocketFrameAssembler.Outcome) -> WebSocketErrorCode? {
        guard case .fail(let code) = outcome else { return nil }
        return code
    }

    @Test func unmaskingMatchesNIOsForEveryLengthAndKey() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for key in [key, WebSocketMaskingKey([0xFF, 0, 0xA5, 0x01] as [UInt8])!] {
                var expected = ByteBuffer(bytes: bytes)
                expected.webSocketMask(key)
                var ours = ByteBuffer(bytes: bytes)
                WebSocketFrameAssembler.unmask(&ours, key: key)
                #expect(ours == expected, "length \(length)")
            }
        }
    }

    @Test func aMessageInOneFrameAndInSeveral() {
        var assembler = assembler()
        let single = message(assembler.receive(frame(.text, Array("hello".utf8))))
        #expect(single?.bytes == Array("hello".utf8) && single?.binary == false)
        guard case .partial = assembler.receive(frame(.binary, [1, 2], fin: false)) else {
            Issue.record("first fragment")
            return
        }
        // A control frame may come between a message's fragments.
        guard case .ping(let ping) = assembler.receive(frame(.ping, [9])) else {
            Issue.record("ping")
            return
        }
        #expect(Array(ping.readableBytesView) == [9])
        guard case .partial = assembler.receive(frame(.continuation, [3], fin: false)) else {
            Issue.record("second fragment")
            return
        }
        let whole = message(assembler.receive(frame(.continuation, [4, 5])))
        #expect(whole?.bytes == [1, 2, 3, 4, 5] && whole?.binary == true)
    }

    @Test func protocolErrors() {
        var unmasked = assembler()
        #expect(failure(unmasked.receive(frame(.text, [1], masked: false))) == .protocolError)
        var stray = assembler()
        #expect(failure(stray.receive(frame(.continuation, [1]))) == .protocolError)
        var interrupted = assembler()
        _ = interrupted.receive(frame(.text, [1], fin: false))
        #expect(failure(interrupted.receive(frame(.text, [2]))) == .protocolError)
        var uncompressed = assembler()
        #expect(failure(uncompressed.receive(frame(.text, [1], rsv1: true))) == .protocolError)
        var compressedContinuation = assembler(compression: true)
        _ = compressedContinuation.receive(frame(.text, [1], fin: false, rsv1: true))
        #expect(failure(compressedContinuation.receive(frame(.continuation, [2], rsv1: true))) == .protocolError)
        var fragmentedPing = assembler()
        #expect(failure(fragmentedPing.receive(frame(.ping, [1], fin: false))) == .protocolError)
        var longPing = assembler()
        #expect(failure(longPing.receive(frame(.ping, [UInt8](repeating: 0, count: 126)))) == .protocolError)
        var reserved = assembler()
        #expect(failure(reserved.receive(frame(WebSocketOpcode(encodedWebSocketOpcode: 0x3)!, [1]))) == .protocolError)
        var rsv2 = assembler()
        var withRSV2 = frame(.text, [1])
        withRSV2.rsv2 = true
        #expect(failure(rsv2.receive(withRSV2)) == .protocolError)
    }

    @Test func theLimitCountsEveryFragment() {
        var assembler = assembler(max: 10)
        #expect(message(assembler.receive(frame(.binary, [UInt8](repeating: 1, count: 10))))?.bytes.count == 10)
        _ = assembler.receive(frame(.binary, [UInt8](repeating: 1, count: 6), fin: false))
        #expect(failure(assembler.receive(frame(.continuation, [UInt8](repeating: 1, count: 5)))) == .messageTooLarge)
    }

    @Test func aCompressedMessageStaysCompressedUntilItIsWhole() {
        var assembler = assembler(compression: true)
        _ = assembler.receive(frame(.text, [1, 2], fin: false, rsv1: true))
        let whole = message(assembler.receive(frame(.continuation, [3])))
        #expect(whole?.compressed == true && whole?.bytes == [1, 2, 3])
    }

    // MARK: permessage-deflate

    @Test func deflateParametersFromTheNegotiatedAnswer() throws {
        let plain = try #require(WebSocketDeflate.Parameters(answer: "permessage-deflate"))
        #expect(plain.sendMaxWindow == 15 && !plain.sendNoContextTakeover && !plain.receiveNoContextTakeover)
        let answer = "permessage-deflate; client_no_context_takeover;server_max_window_bits=10; "
        let full = try #require(WebSocketDeflate.Parameters(answer: answer + "server_no_context_takeover"))
        #expect(full.sendMaxWindow == 10 && full.sendNoContextTakeover && full.receiveNoContextTakeover)
        #expect(WebSocketDeflate.Parameters(answer: "permessage-deflate; server_max_window_bits=8")?.sendMaxWindow == 9)
        #expect(WebSocketDeflate.Parameters(answer: "x-webkit-deflate-frame") == nil)
    }

    @Test func deflateRoundTripsAcrossMessagesAndRefusesWhatItShould() throws {
        let options = WebSocketCompressionOptions(minimumSize: 10)
        let parameters = try #require(WebSocketDeflate.Parameters(answer: "permessage-deflate"))
        let sender = try WebSocketDeflate(parameters: parameters, options: options, maxMessageSize: 100_000)
        let receiver = try WebSocketDeflate(parameters: parameters, options: options, maxMessageSize: 100_000)
        let text = String(repeating: "compressible ", count: 1000)
        for _ in 0..<3 {  // the window carries over from message to message
            let (compressed, didCompress) = try sender.compress(ByteBuffer(string: text))
            #expect(didCompress && compressed.readableBytes < 200)
            #expect(String(buffer: try receiver.decompress(compressed)) == text)
        }
        #expect(try sender.compress(ByteBuffer(string: "short")).compressed == false)
        // A message of exactly the limit inflates; one byte more is too large (1009).
        let limitSender = try WebSocketDeflate(parameters: parameters, options: options, maxMessageSize: 1000)
        let limitReceiver = try WebSocketDeflate(parameters: parameters, options: options, maxMessageSize: 1000)
        let (atLimit, _) = try limitSender.compress(ByteBuffer(repeating: 7, count: 1000))
        #expect(try limitReceiver.decompress(atLimit).readableBytes == 1000)
        let (overLimit, _) = try limitSender.compress(ByteBuffer(repeating: 7, count: 1001))
        #expect(throws: CompressNIOError.bufferOverflow) { try limitReceiver.decompress(overLimit) }
        // Bytes that are not deflate: another error (1007).
        let garbage = try WebSocketDeflate(parameters: parameters, options: options, maxMessageSize: 1000)
        let error = #expect(throws: (any Error).self) { try garbage.decompress(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF])) }
        #expect((error as? CompressNIOError) != .bufferOverflow)
    }
}

extension WebSocketFrameAssemblerTests {
    /// RFC 7692 §7.2.3.3: a client may end a message with a final deflate block (BFINAL=1);
    /// the next message then starts a new deflate stream.
    @Test(.timeLimit(.minutes(1))) func aMessageEndingWithAFinalBlock() throws {
        let parameters = try #require(WebSocketDeflate.Parameters(answer: "permessage-deflate"))
        let receiver = try WebSocketDeflate(
            parameters: parameters, options: WebSocketCompressionOptions(), maxMessageSize: 1000)
        for text in ["first message", "second message"] {
            let compressor = try ZlibCompressor(algorithm: .deflate)
            var input = ByteBuffer(string: text)
            let final = try input.compressStream(with: compressor, flush: .finish, allocator: ByteBufferAllocator())
            #expect(String(buffer: try receiver.decompress(final)) == text)
        }
    }
}
