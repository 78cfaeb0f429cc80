extension RequestHandler {
    /// Tells every instrument that this request started; nothing when there are none.
    func startInstruments() {
        let instruments = application.instruments
        guard let first = instruments.first else { return }
        var states = InstrumentStates(first: first.requestStarted(self))
        for instrument in instruments.dropFirst() { states.rest.append(instrument.requestStarted(self)) }
        instrumentStates = states
    }

    /// Runs `body` inside every instrument's `withRequest`, the first outermost.
    func withInstruments(_ body: () -> Void) {
        guard let states = instrumentStates else { return body() }
        let instruments = application.instruments
        func run(from index: Int) {
            guard index < instruments.count else { return body() }
            instruments[index].withRequest(states[index]) { run(from: index + 1) }
        }
        run(from: 0)
    }

    /// `withInstruments` for an async handler's steps.
    func withInstruments(_ body: () async -> Void) async {
        guard let states = instrumentStates else { return await body() }
        let instruments = application.instruments
        func run(from index: Int) async {
            guard index < instruments.count else { return await body() }
            await instruments[index].withRequest(states[index]) { await run(from: index + 1) }
        }
        await run(from: 0)
    }

    /// Tells every instrument that this request was answered; once per request.
    func endInstruments() {
        guard let states = instrumentStates else { return }
        instrumentStates = nil
        let end = RequestEnd(
            routePattern: routePattern, method: request.method, status: status, duration: request.requestTime,
            completed: true)
        Self.endInstruments(states, of: application, with: end)
    }

    /// The end of a request that was never answered.
    var abandonedEnd: RequestEnd {
        RequestEnd(
            routePattern: routePattern, method: request.method, status: 499, duration: request.requestTime,
            completed: false)
    }

    static func endInstruments(_ states: InstrumentStates, of application: Application, with end: RequestEnd) {
        for (index, instrument) in application.instruments.enumerated() {
            instrument.requestEnded(end, state: states[index])
        }
    }
}

/// What each of an application's instruments returned when a request started. The first is
/// kept inline, so the usual single instrument costs no array.
struct InstrumentStates {
    var first: (any AnyObject & Sendable)?
    var rest: [(any AnyObject & Sendable)?] = []

    subscript(index: Int) -> (any AnyObject & Sendable)? {
        index == 0 ? first : rest[index - 1]
    }
}
