// bare-nio-hello: the smallest useful SwiftNIO HTTP/1.1 server, answering every request with
// "Hello, world". It is the baseline for Gale's `hello` example in Benchmarks/run.sh: the same
// status, Content-Type, Content-Length and body, with no routing and no logging.
//
// Usage: bare-nio-hello [--port N]     (binds 127.0.0.1 only; default port 8889)

import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Answers every request with 200 and a fixed body; keeps the connection open unless the
/// request asked to close it (`Connection: close`, or HTTP/1.0 without keep-alive).
/// One instance per connection, used only on that connection's event loop.
final class HelloHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let body = "Hello, world"
    private var keepAlive = true

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            keepAlive = request.isKeepAlive
        case .body:
            break
        case .end:
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/html; charset=UTF-8")
            headers.add(name: "Content-Length", value: String(Self.body.utf8.count))
            if !keepAlive {
                headers.add(name: "Connection", value: "close")
            }
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: Self.body.utf8.count)
            buffer.writeString(Self.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            if keepAlive {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                    channel.close(promise: nil)
                }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// `--port N` (or `--port=N`), parsed by hand so the package needs nothing but SwiftNIO.
func parsePort(_ arguments: [String]) -> Int {
    var port = 8889
    var index = 1
    func fail(_ message: String) -> Never {
        writeLine(2, "bare-nio-hello: \(message)\nusage: bare-nio-hello [--port N]")
        exit(2)
    }
    while index < arguments.count {
        let argument = arguments[index]
        var value: String?
        if argument == "--port" {
            guard index + 1 < arguments.count else { fail("--port needs a value") }
            value = arguments[index + 1]
            index += 2
        } else if argument.hasPrefix("--port=") {
            value = String(argument.dropFirst("--port=".count))
            index += 1
        } else if argument == "-h" || argument == "--help" {
            print("usage: bare-nio-hello [--port N]")
            exit(0)
        } else {
            fail("unknown argument \(argument)")
        }
        guard let text = value, let parsed = Int(text), (0...65535).contains(parsed) else {
            fail("bad port \(value ?? "")")
        }
        port = parsed
    }
    return port
}

/// Writes `text` and a newline straight to a file descriptor (1: stdout, 2: stderr), unbuffered,
/// so the line shows up at once even when the output is a file.
func writeLine(_ fd: Int32, _ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

let port = parsePort(CommandLine.arguments)
let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let bootstrap = ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(HelloHandler())
        }
    }

do {
    let channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
    writeLine(1, "bare-nio-hello listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)/")
    try channel.closeFuture.wait()
} catch {
    writeLine(2, "bare-nio-hello: \(error)")
    try? group.syncShutdownGracefully()
    exit(1)
}
try group.syncShutdownGracefully()
