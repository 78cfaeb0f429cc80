import Gale

/// Query strings and urlencoded form bodies, through `RequestArguments(parsing:)` as handlers
/// reach them: line 1 is the query string, the rest the body. Also `URLEncoding` itself, whose
/// encoding must decode back to the text.
enum FormFuzz {
    static func run(_ input: FuzzInput) {
        let pieces = input.lines(2)
        let query = String(decoding: pieces[0], as: UTF8.self)
        let request = ServerRequest(
            method: "POST", uri: "/form?" + query,
            headers: ["Content-Type": "application/x-www-form-urlencoded"], body: pieces[1])
        _ = request.path
        _ = try? RequestArguments(parsing: request)
        _ = try? URLEncoding.decode(input.bytes, plus: true)
        _ = URLEncoding.decodeString(input.text)
        let text = input.text
        for plus in [true, false] {
            let encoded = URLEncoding.encode(text, plus: plus)
            precondition(URLEncoding.decodeString(encoded, plus: plus) == text, "round trip: \(encoded)")
        }
    }
}
