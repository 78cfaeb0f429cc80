/// A translation directory, file or row that could not be used.
///
/// Tornado has no error type here: `load_translations` lets the first bad file raise out of
/// it (a stray byte that is not UTF-8 stops the whole load), `load_gettext_translations` and
/// bad CSV rows go to `gen_log.error` and are skipped. Gale throws this error only when the
/// directory itself is missing; every bad file or row is skipped and kept in
/// ``Translations/issues`` so the application can log it, and everything else still loads.
public struct TranslationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is, for matching (`error.kind == .invalidMOFile`).
    ///
    /// A struct rather than an enum so that new kinds break no `switch`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Hashable {
            case directoryNotFound, unreadableFile, unrecognizedFileName, invalidEncoding, invalidRow, invalidMOFile
        }
        private let base: Base

        /// The directory given to a loader does not exist or is not a directory.
        public static let directoryNotFound = Kind(base: .directoryNotFound)
        /// A file could not be read (permissions, a directory named like a file, too large).
        public static let unreadableFile = Kind(base: .unreadableFile)
        /// A CSV file whose name is not `LOCALE.csv` with a code like `es` or `es_LA`.
        public static let unrecognizedFileName = Kind(base: .unrecognizedFileName)
        /// Bytes that are not valid UTF-8 (or UTF-16 after a UTF-16 BOM).
        public static let invalidEncoding = Kind(base: .invalidEncoding)
        /// A CSV row that was skipped (too few columns, unknown plural indicator, a field past
        /// the csv module's 131,072-character limit).
        public static let invalidRow = Kind(base: .invalidRow)
        /// A `.mo` file that is truncated, has a bad magic number or version, or a header
        /// gettext cannot use (unknown charset, bad `Plural-Forms`).
        public static let invalidMOFile = Kind(base: .invalidMOFile)

        public var description: String {
            switch base {
            case .directoryNotFound: "directory not found"
            case .unreadableFile: "unreadable file"
            case .unrecognizedFileName: "unrecognized file name"
            case .invalidEncoding: "invalid encoding"
            case .invalidRow: "invalid row"
            case .invalidMOFile: "invalid .mo file"
            }
        }
    }

    /// What kind of problem it is.
    public var kind: Kind
    /// The directory or file concerned.
    public var path: String
    /// The 1-based line a bad CSV row starts on; `nil` for whole files.
    public var line: Int?
    /// A short explanation, e.g. `unrecognized plural indicator "dual"`.
    public var reason: String

    /// Creates an error; loaders make these, tests and applications may too.
    public init(_ kind: Kind, path: String, line: Int? = nil, reason: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        return "\(place): \(kind): \(reason)"
    }
}
