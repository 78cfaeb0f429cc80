import Gale
import Synchronization

/// A `ResponseWriter` that keeps the response in memory and hands it over when it ends.
final class CollectingWriter: ResponseWriter {
    private struct State {
        var head: ResponseHead?
        var body: [UInt8] = []
        var chunks = 0
        var finished = false
        var waiter: CheckedContinuation<TestResponse, Never>?
    }

    private let state = Mutex(State())

    func write(_ chunk: ResponseChunk) {
        // In memory the file slice is read, so tests see the bytes a socket would carry.
        let fileBytes = chunk.file.map { file in
            (try? file.read()) ?? []
        }
        let (waiter, response) = state.withLock { state -> (CheckedContinuation<TestResponse, Never>?, TestResponse?) in
            if let head = chunk.head { state.head = head }
            if !chunk.body.isEmpty || fileBytes != nil {
                state.body += chunk.body + (fileBytes ?? [])
                state.chunks += 1
            }
            guard chunk.isLast else { return (nil, nil) }
            state.finished = true
            let response = Self.response(from: state)
            defer { state.waiter = nil }
            return (state.waiter, response)
        }
        if let waiter, let response { waiter.resume(returning: response) }
    }

    /// Waits for the end of the response.
    func response() async -> TestResponse {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> TestResponse? in
                if state.finished { return Self.response(from: state) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private static func response(from state: State) -> TestResponse {
        let head = state.head ?? ResponseHead(status: 500, reason: "No Response", headers: [:])
        return TestResponse(
            status: head.status, reason: head.reason, headers: head.headers, body: state.body,
            chunkCount: state.chunks)
    }
}
