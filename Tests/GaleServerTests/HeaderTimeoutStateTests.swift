import NIOCore
import NIOHTTP1
import Testing

@testable import GaleServer

/// The header timeout's rules in the connection state machine, without a socket.
@Suite struct HeaderTimeoutStateTests {
    typealias Machine = HTTPConnectionStateMachine
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func machine(idle: TimeAmount? = .seconds(3600), header: TimeAmount? = .seconds(60)) -> Machine {
        Machine(
            configuration: .init(
                maxBodySize: 100, idleTimeout: idle, bodyTimeout: .seconds(3600), noKeepAlive: false,
                headerTimeout: header),
            now: start)
    }

    /// A whole request answered, leaving the connection idle at `at`.
    func exchange(_ m: inout Machine, at now: NIODeadline) {
        #expect(
            m.receivedHead(
                version: .http1_1, keepAlive: true, contentLength: nil, expect: nil, bodyLimit: nil,
                streamsBody: false, now: now) == .accept(sendContinue: false))
        #expect(m.receivedEnd() == .run)
        _ = m.writingResponseHead(hasContentLength: true)
        #expect(m.responseEnded(now: now) == .writeEnd)
        _ = m.responseEndWritten(now: now)
    }

    @Test func theFirstHeadIsAwaitedFromTheConnectionsStart() {
        var m = machine()
        #expect(m.checkInterval == .seconds(60))
        #expect(m.timerFired(now: start + .seconds(30)) == .rearm(.seconds(30)))
        // Never sent a byte: closed quietly.
        #expect(m.timerFired(now: start + .seconds(60)) == .close)
    }

    @Test func aHeadBegunAndNotFinishedIsAbandoned() {
        var m = machine()
        m.receivedPartialHead(now: start + .seconds(50))
        // Still counted from the connection's start, not from the first byte.
        #expect(m.timerFired(now: start + .seconds(60)) == .abandon(reason: "request head timed out"))
        #expect(m.state == .closing)
    }

    @Test func laterRequestsCountFromTheirFirstBytes() {
        var m = machine()
        exchange(&m, at: start + .seconds(1))
        // Idle between requests: only the idle timeout applies, however long the wait.
        #expect(m.timerFired(now: start + .seconds(600)) == .rearm(.seconds(60)))
        m.receivedPartialHead(now: start + .seconds(600))
        // Later bytes of the same head do not restart the clock.
        m.receivedPartialHead(now: start + .seconds(650))
        #expect(m.timerFired(now: start + .seconds(659)) == .rearm(.seconds(1)))
        #expect(m.timerFired(now: start + .seconds(660)) == .abandon(reason: "request head timed out"))
    }

    @Test func aHeadThatArrivesInTimeStopsTheClock() {
        var m = machine(header: .seconds(5))
        m.receivedPartialHead(now: start + .seconds(1))
        exchange(&m, at: start + .seconds(4))
        // The next request has not begun: the idle timeout (1 hour) is what counts now.
        #expect(m.timerFired(now: start + .seconds(100)) == .rearm(.seconds(5)))
    }

    @Test func onceAHeadBeginsTheIdleTimeoutStopsCounting() {
        var m = machine(idle: .seconds(10), header: .seconds(60))
        exchange(&m, at: start)
        m.receivedPartialHead(now: start + .seconds(9))
        // Past the idle limit, but a head is arriving: the header timeout decides.
        #expect(m.timerFired(now: start + .seconds(20)) == .rearm(.seconds(10)))
        #expect(m.timerFired(now: start + .seconds(69)) == .abandon(reason: "request head timed out"))
    }

    @Test func withoutAHeaderTimeoutTheIdleTimeoutEndsASlowHead() {
        var m = machine(idle: .seconds(10), header: nil)
        m.receivedPartialHead(now: start + .seconds(1))
        #expect(m.timerFired(now: start + .seconds(10)) == .close)
    }

    @Test func bytesDuringARequestAreNotAHead() {
        var m = machine(header: .seconds(5))
        #expect(
            m.receivedHead(
                version: .http1_1, keepAlive: true, contentLength: 10, expect: nil, bodyLimit: nil,
                streamsBody: false, now: start) == .accept(sendContinue: false))
        m.receivedPartialHead(now: start)
        // A request is in flight: no header timeout, the body timeout (1 hour) applies.
        #expect(m.timerFired(now: start + .seconds(30)) == .rearm(.seconds(5)))
    }
}
