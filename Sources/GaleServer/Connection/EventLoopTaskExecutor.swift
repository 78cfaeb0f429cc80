import NIOCore

/// Runs a task's code on one NIO event loop: an async request's handler runs on its
/// connection's thread, as a Tornado coroutine runs on its IOLoop.
///
/// So the handler, its connection's channel handler and its streamed body are only ever
/// touched from that one thread (`NIOLoopBound` checks it), writes need no hop, and
/// `onConnectionClose()` can run beside a suspended handler without a data race. Code the
/// handler awaits on another actor runs there and comes back here. Blocking work belongs in
/// `IOLoop.runInExecutor`, exactly as in Tornado.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
