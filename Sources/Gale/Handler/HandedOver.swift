/// A plain handler handed whole to another thread for its run: whoever made it keeps no use of
/// it meanwhile (Gale's server drops it, `Application.dispatch` waits for the run's end), so no
/// two threads ever touch it at once. `RequestHandler` is not `Sendable`: it belongs to one
/// thread at a time.
package struct HandedOver: @unchecked Sendable {
    // @unchecked: a transfer of ownership the compiler cannot see (see above).
    package let handler: RequestHandler

    package init(_ handler: RequestHandler) {
        self.handler = handler
    }
}
