import Gale
import Logging
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPChannelHandler {
    /// Sends one part of the response of request number `exchange`. Runs on the event loop.
    func write(_ chunk: ResponseChunk, exchange: Int) {
        guard let context, exchange == currentExchange else { return }
        var bodySent = false
        if let head = chunk.head {
            if let file = chunk.file, file.contents == nil, !corked, tls == nil {
                // The head goes out with writev and the file with sendfile: corked, they leave
                // in one packet instead of two (nginx's tcp_nopush); uncorked at the end. Not
                // over TLS, where there is no sendfile (and an HTTP/2 stream has no socket), nor
                // for a file already in memory, which leaves with the head in one writev.
                setCork(true, context: context)
            }
            if let encoder, !chunk.body.isEmpty {
                // HTTP/1: the body leaves in the head's buffer, one write instead of two.
                encoder.sendWithNextHead(chunk.body)
                bodySent = true
            }
            writeHead(head, context: context)
        }
        if !chunk.body.isEmpty && !bodySent {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: chunk.body)))), promise: nil)
        }
        if chunk.mustClose || (chunk.file.map { !writeFile($0, context: context) } ?? false) {
            // The head has gone out promising what the body will not hold. Ending the message
            // (`.end`, a last chunk) would make it look whole to proxies; only closing is honest.
            machine.responseBroken()
            context.flush()
            context.close(promise: nil)
            return
        }
        guard chunk.isLast else {
            context.flush()
            return
        }
        defer { if corked { setCork(false, context: context) } }
        switch machine.responseEnded(now: .now()) {
        case .writeEndAndClose:
            currentExchange = 0
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        case .writeEnd:
            currentExchange = 0
            // NIO's pipelining handler may hand over the next request from inside this write.
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            responseEndWritten()
        case .ignore:
            break
        }
    }

    private func writeHead(_ head: ResponseHead, context: ChannelHandlerContext) {
        // One array handed to NIO: its `add(name:value:)` checks each name byte by byte (about
        // 1,800 instructions a hello response), and Gale's names are checked tokens already.
        var fields: [(String, String)] = []
        fields.reserveCapacity(head.headers.count + 2)
        var hasContentLength = false
        for (name, value) in head.headers {
            if !hasContentLength && name.utf8.count == 14 && name.equalsIgnoringASCIICase("content-length") {
                hasContentLength = true
            }
            fields.append((name, value))
        }
        fields.append(("Date", dateCache.now()))
        var headers = NIOHTTP1.HTTPHeaders(fields)
        let decision = machine.writingResponseHead(hasContentLength: hasContentLength)

        if decision.close {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if decision.keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        var status = HTTPResponseStatus(statusCode: head.status)
        if status.reasonPhrase != head.reason {
            status = .custom(code: UInt(head.status), reasonPhrase: head.reason)
        }
        // The request's version: HTTP/1.0 clients get HTTP/1.0 answers.
        let version: HTTPVersion = decision.isHTTP10 ? .http1_0 : .http1_1
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
    }

    /// Sets `TCP_CORK`: while on, the kernel holds partial segments back.
    private func setCork(_ on: Bool, context: ChannelHandlerContext) {
        corked = on
        #if os(Linux)
            let option = ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: TCP_CORK))
            context.channel.setOption(option, value: on ? 1 : 0).whenFailure { _ in }
        #endif
    }

    /// Sends a file slice: from memory when the handler holds the file's bytes, else with
    /// sendfile (NIO's `FileRegion`) from the descriptor the handler opened, or from `path`
    /// opened here and closed once the write is done. `false` when the slice cannot be sent.
    private func writeFile(_ file: FileBody, context: ChannelHandlerContext) -> Bool {
        guard file.length > 0 else { return true }
        if let contents = file.contents {
            guard file.offset >= 0, file.length <= contents.count - file.offset else {
                application.logger.error("file slice \(file.offset)+\(file.length) of \(file.path) is out of its bytes")
                return false
            }
            let buffer = context.channel.allocator.buffer(bytes: contents[file.offset..<(file.offset + file.length)])
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            return true
        }
        let open: OpenFile
        do {
            open = try file.file ?? OpenFile(path: file.path)
        } catch {
            application.logger.error("cannot open \(file.path) for sending: \(error)")
            return false
        }
        // Borrowed: `open` owns the descriptor and is kept alive until the write is done.
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: open.descriptor)
        let end = file.offset + file.length
        let region = FileRegion(fileHandle: handle, readerIndex: file.offset, endIndex: end)
        let written = context.write(wrapOutboundOut(.body(.fileRegion(region))))
        // A file cut shorter while it is sent leaves sendfile returning 0 for good, which NIO
        // retries on every loop turn (a core at 100 % until the client leaves). nginx closes
        // such a connection ("file was truncated"); so does this check, once a second while a
        // file is still going out.
        let channel = context.channel
        let logger = application.logger
        let watch = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { task in
            if let size = open.status()?.size, size < end {
                task.cancel()
                logger.warning("\(open.path) was cut to \(size) bytes while being sent; closing the connection")
                channel.close(promise: nil)
            }
        }
        written.whenComplete { _ in
            watch.cancel()
            _ = try? handle.takeDescriptorOwnership()
            withExtendedLifetime(open) {}
        }
        return true
    }

    /// Answers with an error page before the request reached a handler, and closes. The state
    /// machine has already moved to closing.
    func refuse(_ status: Int, reason: String, context: ChannelHandlerContext) {
        application.accessLogger.warning("\(status) \(reason) (\(remoteIP))")
        currentExchange = 0
        let page = ErrorPage.response(status: status, closing: true)
        var headers = NIOHTTP1.HTTPHeaders()
        for (name, value) in page.head.headers { headers.add(name: name, value: value) }
        headers.add(name: "Date", value: dateCache.now())
        let head = HTTPResponseHead(
            version: .http1_1, status: .custom(code: UInt(status), reasonPhrase: page.head.reason), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let body = context.channel.allocator.buffer(bytes: page.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
