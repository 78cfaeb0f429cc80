import Gale

/// `Cookie` request headers (Tornado's `httputil.parse_cookie`), through `ServerRequest.cookies`
/// as a handler's `getCookie` reads them; the input is the header's value.
enum CookieFuzz {
    static func run(_ input: FuzzInput) {
        let request = ServerRequest(method: "GET", uri: "/", headers: ["Cookie": input.text])
        _ = request.cookies
        var twice = HTTPHeaders()
        twice.add("Cookie", input.text)
        twice.add("Cookie", "a=1")
        _ = ServerRequest(method: "GET", uri: "/", headers: twice).cookies
    }
}
