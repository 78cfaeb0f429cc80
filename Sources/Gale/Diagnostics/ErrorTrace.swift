#if os(Linux) && canImport(Runtime)
    internal import Runtime
#endif

/// The stack of the thread (or task) that made an error, captured only while a request is
/// traced.
///
/// Tornado: the traceback a Python exception carries, which `write_error` prints when
/// `serve_traceback` is on. Capturing a Swift stack costs some tenths of a millisecond, far too
/// much for errors that are part of normal work (a 404), so an error captures one only while
/// `ErrorTrace.isCapturing` is bound to `true`: Gale binds it around each request's handler
/// (`initialize()`, `prepare()`, the method, `writeError`) when `serveTraceback` is on, and
/// Gale's errors call `capture()` in their initialisers. The frames below the handler (Gale's
/// request runner, the server) are left out. Addresses become function names, files and lines
/// only when the trace is shown (`symbolicated()`), which reads the executable's debug
/// information: a debug build shows every line, a build without debug information shows
/// function names or addresses. Linux only (Swift's `Runtime` module); elsewhere `capture()`
/// returns `nil`.
public final class ErrorTrace: Sendable, CustomStringConvertible {
    /// Whether errors made now capture a trace. Bound for the whole of a request when
    /// `serveTraceback` is on; bind it yourself (`ErrorTrace.$isCapturing.withValue(true)`)
    /// to trace other work.
    @TaskLocal public static var isCapturing = false

    /// The most frames kept between the error and the handler's runner.
    static let frameLimit = 64

    /// Where Gale starts running a handler's code: the frames from here down are the
    /// framework's and the server's, the same for every request, and left out. The runners
    /// come before the functions that call them, for an optimised build that inlined them.
    static let runnerFunctions = [
        "RequestHandler.executeSteps()", "AsyncRequestHandler.executeSteps()", "RequestHandler.execute()",
        "AsyncRequestHandler.executeAsync()", "Application.makeHandler(_:for:writer:)",
    ]

    #if os(Linux) && canImport(Runtime)
        private let backtrace: Backtrace

        /// The process's loaded images, read once, on the first trace. `ImageMap.capture()`
        /// reads `/proc/self/maps` and then the first bytes of every file mapping in it; a
        /// mapping another thread unmaps in between (a symbolicator's ELF file, a database's)
        /// is a SIGSEGV (swiftlang/swift#92089, fixed after Swift 6.3.1), and every
        /// `Backtrace.capture()` without images does it again. Libraries loaded later go
        /// unnamed in traces.
        private static let images = ImageMap.capture()

        private init(_ backtrace: Backtrace) {
            self.backtrace = backtrace
        }

        /// The current stack, from the caller of the error's initialiser down to the
        /// handler's runner, or `nil` when `isCapturing` is off (or the stack cannot be read).
        /// Call it from an error's initialiser (or a stored property's default value), as
        /// `LocatedError` shows.
        @inline(__always)
        public static func capture() -> ErrorTrace? {
            isCapturing ? captureNow() : nil
        }

        @inline(never)
        private static func captureNow() -> ErrorTrace? {
            // Turning the frames' addresses into source lines costs tens of milliseconds a
            // frame in a debug build, and the server's frames below the handler are many: find
            // the runner by name (cheap: the symbol table only) and capture again down to it.
            // Both captures and the search cost under a millisecond, paid only while tracing.
            guard let whole = try? Backtrace.capture(limit: frameLimit, offset: 1, top: 0, images: images) else {
                return nil
            }
            guard let depth = runnerDepth(whole),
                // One more for the marker that says frames were cut.
                let trimmed = try? Backtrace.capture(limit: depth + 1, offset: 1, top: 0, images: images)
            else {
                return ErrorTrace(whole)
            }
            return ErrorTrace(trimmed)
        }

        /// How many frames lie above the first of `runnerFunctions`, if it is there.
        private static func runnerDepth(_ backtrace: Backtrace) -> Int? {
            guard let named = backtrace.symbolicated(with: images, options: []) else { return nil }
            return named.frames.firstIndex { frame in
                guard let name = frame.symbol?.name else { return false }
                return runnerFunctions.contains { name == $0 || name.hasSuffix(" in \($0)") }
            }
        }

        /// `ErrorTrace(5 frames)`: cheap, so logging an error that holds a trace costs nothing.
        /// `symbolicated()` gives the frames.
        public var description: String {
            "ErrorTrace(\(backtrace.frames.reduce(0) { count, _ in count + 1 }) frames)"
        }

        /// One line per frame, `function at file:line` (or `function in image`, or the address,
        /// as far as the executable's debug information goes), symbolicated now: a fraction of
        /// a second in a debug build.
        public func symbolicated() -> [String] {
            lines(from: nil)
        }

        /// The frames as lines, starting at the one at `location` when one is (dropping the
        /// error's initialiser above it).
        func lines(from location: ErrorLocation?) -> [String] {
            // Without inline frames: half the time, and a debug build inlines little.
            guard
                let symbolicated = backtrace.symbolicated(
                    with: Self.images, options: [.showSourceLocations, .useSymbolCache])
            else {
                return backtrace.frames.map { "\($0)" }
            }
            let frames = symbolicated.frames.filter { frame in
                switch frame.captured {
                case .omittedFrames, .truncated: false
                default: !frame.isSwiftThunk
                }
            }
            var start = frames.startIndex
            if let location,
                let index = frames.firstIndex(where: { frame in
                    guard let source = frame.symbol?.sourceLocation else { return false }
                    return source.line == location.line && source.path.hasSuffix("/" + location.fileName)
                })
            {
                start = index
            }
            return frames[start...].map { frame in
                guard let symbol = frame.symbol else { return "\(frame.captured.originalProgramCounter)" }
                guard let source = symbol.sourceLocation else { return "\(symbol.name) in \(symbol.imageName)" }
                return "\(symbol.name) at \(source.path):\(source.line)"
            }
        }
    #else
        /// Always `nil`: Swift offers no stack capture on this platform.
        public static func capture() -> ErrorTrace? { nil }

        /// `ErrorTrace`.
        public var description: String { "ErrorTrace" }

        /// Empty.
        public func symbolicated() -> [String] { [] }

        func lines(from location: ErrorLocation?) -> [String] { [] }
    #endif
}

extension ErrorLocation {
    /// The file's name without its module: `File.swift`.
    var fileName: String {
        String(fileID[(fileID.lastIndex(of: "/").map { fileID.index(after: $0) } ?? fileID.startIndex)...])
    }
}
