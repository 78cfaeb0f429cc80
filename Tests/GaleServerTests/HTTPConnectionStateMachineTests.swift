import NIOCore
import NIOHTTP1
import Testing

@testable import GaleServer

/// The connection's rules, without a socket.
@Suite struct HTTPConnectionStateMachineTests {
    typealias Machine = HTTPConnectionStateMachine
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func machine(
        maxBodySize: Int = 100, idle: TimeAmount? = .seconds(60), body: TimeAmount? = .seconds(10),
        noKeepAlive: Bool = false
    ) -> Machine {
        Machine(
            configuration: .init(
                maxBodySize: maxBodySize, idleTimeout: idle, bodyTimeout: body, noKeepAlive: noKeepAlive),
            now: start)
    }

    func head(
        _ machine: inout Machine, version: HTTPVersion = .http1_1, keepAlive: Bool = true, length: Int? = nil,
        expect: String? = nil, limit: Int? = nil, streams: Bool = false, at now: NIODeadline? = nil
    ) -> Machine.HeadAction {
        machine.receivedHead(
            version: version, keepAlive: keepAlive, contentLength: length, expect: expect, bodyLimit: limit,
            streamsBody: streams, now: now ?? start)
    }

    @Test func keepAliveCycle() {
        var m = machine()
        #expect(head(&m) == .accept(sendContinue: false))
        #expect(m.receivedBody(count: 10) == .deliver)
        #expect(m.receivedEnd() == .run)
        #expect(m.writingResponseHead(hasContentLength: true) == .init(close: false, keepAlive: false, isHTTP10: false))
        #expect(m.responseEnded(now: start) == .writeEnd)
        #expect(m.responseEndWritten(now: start) == .none)
        #expect(m.state == .idle(since: start))
    }

    @Test func aRequestArrivingDuringTheLastWriteRunsAfterIt() {
        var m = machine()
        _ = head(&m)
        _ = m.receivedEnd()
        _ = m.writingResponseHead(hasContentLength: true)
        #expect(m.responseEnded(now: start) == .writeEnd)
        // NIO's pipelining handler delivers the next request from inside the write.
        #expect(head(&m) == .accept(sendContinue: false))
        #expect(m.receivedEnd() == .runWhenWritten)
        #expect(m.responseEndWritten(now: start) == .run)
        #expect(m.writingResponseHead(hasContentLength: true).close == false)
    }

    @Test func bodyLimitsAreTheRoutesOrTheServers() {
        var m = machine(maxBodySize: 100)
        #expect(head(&m, length: 101) == .refuse(status: 413, reason: "Content-Length 101 over the 100 byte limit"))
        #expect(m.state == .closing)
        #expect(head(&m) == .ignore)

        var routed = machine(maxBodySize: 100)
        #expect(head(&routed, length: 1000, limit: 5000) == .accept(sendContinue: false))
        #expect(routed.receivedBody(count: 4000) == .deliver)
        #expect(routed.receivedBody(count: 1001) == .refuse(status: 413, reason: "request body larger than 5000 bytes"))

        // Counted past the limit after the response began: nothing can be said, only closed.
        var streaming = machine(maxBodySize: 10)
        _ = head(&streaming, streams: true)
        _ = streaming.writingResponseHead(hasContentLength: false)
        #expect(streaming.receivedBody(count: 11) == .close)
    }

    @Test func expectations() {
        var m = machine()
        #expect(head(&m, expect: "100-Continue") == .accept(sendContinue: true))
        var old = machine()
        #expect(head(&old, version: .http1_0, expect: "100-continue") == .accept(sendContinue: false))
        var odd = machine()
        #expect(head(&odd, expect: "coffee") == .refuse(status: 417, reason: "unsupported Expect: coffee"))
    }

    @Test func http10AndNoKeepAlive() {
        var m = machine()
        _ = head(&m, version: .http1_0, keepAlive: true)
        _ = m.receivedEnd()
        // No Content-Length: the end of the body is the end of the connection.
        #expect(m.writingResponseHead(hasContentLength: false) == .init(close: true, keepAlive: false, isHTTP10: true))
        #expect(m.responseEnded(now: start) == .writeEndAndClose)

        var kept = machine()
        _ = head(&kept, version: .http1_0, keepAlive: true)
        _ = kept.receivedEnd()
        #expect(
            kept.writingResponseHead(hasContentLength: true) == .init(close: false, keepAlive: true, isHTTP10: true))

        var never = machine(noKeepAlive: true)
        _ = head(&never)
        _ = never.receivedEnd()
        #expect(never.writingResponseHead(hasContentLength: true).close)
        #expect(never.responseEnded(now: start) == .writeEndAndClose)
    }

    @Test func aResponseEndingBeforeItsBodyClosesTheConnection() {
        var m = machine()
        _ = head(&m, streams: true)
        _ = m.writingResponseHead(hasContentLength: true)
        #expect(m.responseEnded(now: start) == .writeEndAndClose)
        #expect(m.receivedBody(count: 5) == .ignore)
    }

    @Test func streamedBodiesEndTheirStreamInsteadOfRunning() {
        var m = machine()
        _ = head(&m, streams: true)
        #expect(m.receivedBody(count: 50) == .deliver)
        #expect(m.receivedEnd() == .endBody)
    }

    @Test func shutdown() {
        // A kept-alive connection waiting for its next request: a request that comes within
        // the grace is answered with `Connection: close`; then the connection closes.
        var idle = machine()
        _ = head(&idle)
        _ = idle.receivedEnd()
        _ = idle.writingResponseHead(hasContentLength: true)
        _ = idle.responseEnded(now: start)
        _ = idle.responseEndWritten(now: start)
        #expect(idle.shutdownRequested(now: start) == .awaitNextRequest(.seconds(5)))
        #expect(head(&idle) == .accept(sendContinue: false))
        _ = idle.receivedEnd()
        #expect(idle.writingResponseHead(hasContentLength: true).close)

        // A connection just opened, its first request on the way: the same.
        var fresh = machine()
        #expect(fresh.shutdownRequested(now: start) == .awaitNextRequest(.seconds(5)))
        #expect(head(&fresh) == .accept(sendContinue: false))
        // One that sends nothing is closed when the grace runs out, idle timeout or not.
        var silent = machine()
        #expect(silent.shutdownRequested(now: start + .seconds(1)) == .awaitNextRequest(.seconds(5)))
        #expect(silent.timerFired(now: start + .seconds(3)) == .rearm(.seconds(3)))
        #expect(silent.timerFired(now: start + .seconds(6)) == .close)
        #expect(head(&silent) == .ignore)

        var busy = machine()
        _ = head(&busy)
        _ = busy.receivedEnd()
        #expect(busy.shutdownRequested(now: start) == .closeAfterResponse)
        #expect(busy.writingResponseHead(hasContentLength: true).close)
        #expect(busy.responseEnded(now: start) == .writeEndAndClose)
        // A response still going out as the connection closes is not cut off.
        #expect(busy.shutdownRequested(now: start) == .closeAfterResponse)

        var upgrading = machine()
        _ = head(&upgrading)
        _ = upgrading.receivedEnd()
        _ = upgrading.shutdownRequested(now: start)
        #expect(upgrading.upgrading() == .shuttingDown)
    }

    @Test func timers() {
        var m = machine(idle: .seconds(60), body: .seconds(10))
        #expect(m.checkInterval == .seconds(10))
        #expect(m.timerFired(now: start + .seconds(10)) == .rearm(.seconds(10)))
        #expect(m.timerFired(now: start + .seconds(55)) == .rearm(.seconds(5)))
        #expect(m.timerFired(now: start + .seconds(60)) == .close)

        var slowBody = machine(idle: nil, body: .seconds(10))
        _ = head(&slowBody, at: start)
        #expect(slowBody.timerFired(now: start + .seconds(4)) == .rearm(.seconds(6)))
        #expect(
            slowBody.timerFired(now: start + .seconds(10)) == .refuse(status: 408, reason: "request body timed out"))

        // While the handler works (a long poll), no timeout applies.
        var polling = machine(idle: .seconds(1), body: .seconds(1))
        _ = head(&polling)
        _ = polling.receivedEnd()
        #expect(polling.timerFired(now: start + .seconds(3600)) == .rearm(.seconds(1)))

        var none = machine(idle: nil, body: nil)
        #expect(none.checkInterval == nil)
        #expect(none.timerFired(now: start) == .stop)
    }

    @Test func parseErrors() {
        var idle = machine()
        #expect(idle.parseError(status: 400) == .refuse(status: 400))
        #expect(idle.parseError(status: 400) == .ignore)

        var answering = machine()
        _ = head(&answering)
        _ = answering.receivedEnd()
        #expect(answering.parseError(status: 400) == .close)

        // Garbage pipelined behind a good request arrives during that response's last write:
        // the error page follows the response instead of discarding it.
        var pipelined = machine()
        _ = head(&pipelined)
        _ = pipelined.receivedEnd()
        _ = pipelined.writingResponseHead(hasContentLength: true)
        _ = pipelined.responseEnded(now: start)
        #expect(pipelined.parseError(status: 400) == .refuse(status: 400))
    }

    @Test func upgradedConnectionsTakeNoMoreRequests() {
        var m = machine()
        _ = head(&m)
        #expect(m.upgrading() == .tooLate)  // not before the request is whole
        _ = m.receivedEnd()
        #expect(m.upgrading() == .upgrade)
        #expect(head(&m) == .ignore)
        #expect(m.timerFired(now: start + .seconds(3600)) == .stop)
    }
}
