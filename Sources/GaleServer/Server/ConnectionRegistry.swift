import NIOCore
import Synchronization

/// The open connections of one server, so shutdown can ask each to finish and close, and
/// wait until all have.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var drained: [CheckedContinuation<Void, Never>] = []
        var shuttingDown = false
    }

    private let state = Mutex(State())

    /// Registers a new connection; `false` once shutdown began (the caller then treats it as
    /// the shutdown treats every open connection).
    func add(_ channel: any Channel) -> Bool {
        state.withLock { state in
            state.channels[ObjectIdentifier(channel)] = channel
            return !state.shuttingDown
        }
    }

    /// From now on `add` says so; returns the connections open at this moment.
    func beginShutdown() -> [any Channel] {
        state.withLock { state in
            state.shuttingDown = true
            return Array(state.channels.values)
        }
    }

    func remove(_ channel: any Channel) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.channels[ObjectIdentifier(channel)] = nil
            guard state.channels.isEmpty else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The connections open now.
    var channels: [any Channel] {
        state.withLock { Array($0.channels.values) }
    }

    /// Returns once no connection is open.
    func waitUntilEmpty() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.channels.isEmpty { return true }
                state.drained.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
