/// Where an error was made: the file and line of the code that created it, usually the
/// `throw`.
///
/// Tornado has no such value: a Python exception carries its traceback. A Swift error is a
/// plain value that knows nothing of where it came from, so Gale's errors capture this with
/// default arguments (`fileID: String = #fileID, line: Int = #line`) and keep it; the error
/// page shows it when `serveTraceback` is on. Storing it costs two words and no allocation
/// (`#fileID` is a string literal).
public struct ErrorLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as `#fileID` gives it: `Module/File.swift`.
    public var fileID: String
    /// The 1-based line.
    public var line: Int

    /// The location given, or by default the place this initialiser is called from.
    public init(fileID: String = #fileID, line: Int = #line) {
        self.fileID = fileID
        self.line = line
    }

    /// `Module/File.swift:42`.
    public var description: String { "\(fileID):\(line)" }
}
