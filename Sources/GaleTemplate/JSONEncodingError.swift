/// A value JSON has no form for, met while writing a response body or a WebSocket message as
/// JSON: a non-finite float (`nan`, `inf`; JSON has neither, and Python's `json.dumps`, which
/// Tornado calls, writes `NaN`, which JSON parsers refuse), or a template function or object.
/// Nothing has been written when it is thrown. Tornado: the `ValueError` or `TypeError` that
/// `json.dumps` raises.
public struct JSONEncodingError: Error, Sendable, CustomStringConvertible {
    /// Where the value is, as a path from the top (`lines[3].price`; empty for the top value).
    public var path: String {
        var text = ""
        for component in components.reversed() {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// What is wrong with the value (`nan`, `a template function`).
    public var reason: String

    public var description: String {
        let place = path
        return place.isEmpty ? "cannot write as JSON: \(reason)" : "cannot write \(place) as JSON: \(reason)"
    }

    enum Component: Sendable {
        case key(String)
        case index(Int)
    }

    /// The path from the value out to the top: the writer adds each container's part as the
    /// error leaves it.
    var components: [Component] = []

    init(reason: String) {
        self.reason = reason
    }

    /// The same error, one container further out.
    func inside(_ component: Component) -> JSONEncodingError {
        var copy = self
        copy.components.append(component)
        return copy
    }
}
