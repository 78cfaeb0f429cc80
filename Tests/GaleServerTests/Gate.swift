import Gale
import GaleTesting
import Synchronization

/// A door a test holds shut: handlers wait at it, so the test decides when a request goes on
/// instead of guessing with sleeps. Records what happened to the handlers behind it.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter = 0
        var events: [String] = []
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Waits until the gate opens; throws `CancellationError` if the task is cancelled first.
    func pass() async throws {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        record("waiting")
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume = state.withLock { state -> Bool in
                    if state.isOpen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resume { continuation.resume() }
            }
            try Task.checkCancellation()
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Notes something a handler did, e.g. "cancelled" or "onConnectionClose".
    func record(_ event: String) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.events.append(event)
            let count = state.events.count
            let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
            state.watchers.removeAll { $0.count <= count }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    var events: [String] { state.withLock { $0.events } }

    /// Waits until `count` events have been recorded, or `timeout` passes; returns the events.
    func events(atLeast count: Int, timeout: Duration = .seconds(5)) async -> [String] {
        let waiting = Task {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.events.count >= count { return true }
                    state.watchers.append((count, continuation))
                    return false
                }
                if now { continuation.resume() }
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout.scaledForTests)
            record("timed out")
        }
        await waiting.value
        timer.cancel()
        return events
    }
}

/// Waits at its gate before answering; records cancellation and `onConnectionClose`.
final class GatedHandler: AsyncRequestHandler, InitializableHandler {
    var gate: Gate?

    func initialize(_ arguments: Gate) { gate = arguments }

    override func get() async throws {
        guard let gate else { return }
        do {
            try await gate.pass()
        } catch {
            gate.record(Task.isCancelled ? "cancelled" : "error")
            throw error
        }
        try write("passed")
    }

    override func onConnectionClose() { gate?.record("onConnectionClose") }
}
