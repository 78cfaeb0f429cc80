/// A template that cannot load or render, with the file and line it happened at.
///
/// Tornado: `tornado.template.ParseError` ("... at home.html:5") for syntax, raised when the
/// template loads; errors while rendering name the same place.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: Sendable, Equatable {
        /// The template text is malformed; found when it is loaded.
        case syntax
        /// An expression failed while rendering (unknown name, bad operand, a helper's error).
        case evaluation
        /// No such template file.
        case notFound
    }

    public var kind: Kind
    /// The problem, without the location.
    public var message: String
    /// The template's name (`home.html`, or `<string>`).
    public var template: String
    /// The 1-based line.
    public var line: Int
    /// What a function the template called threw, when that is the failure: an `HTTPError`
    /// from `handler.get_argument(...)` is the request's answer, as in Tornado, where a
    /// template's exception reaches the handler unchanged.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, template: String, line: Int, underlying: (any Error)? = nil) {
        self.kind = kind
        self.underlying = underlying
        self.message = message
        self.template = template
        self.line = line
    }

    public var description: String { "\(message) at \(template):\(line)" }
}
