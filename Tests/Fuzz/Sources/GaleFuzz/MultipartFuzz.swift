import Gale

/// `multipart/form-data` bodies through `RequestArguments(parsing:)`, as a handler's
/// `getArgument` and `files` reach them. The first line is the Content-Type header's value, the
/// rest the body.
enum MultipartFuzz {
    static func run(_ input: FuzzInput) {
        let pieces = input.lines(2)
        let contentType = String(decoding: pieces[0], as: UTF8.self)
        let request = ServerRequest(
            method: "POST", uri: "/upload", headers: ["Content-Type": contentType], body: pieces[1])
        _ = try? RequestArguments(parsing: request)
        // The same body under a fixed, well-formed header, so the corpus need not find one.
        let fixed = ServerRequest(
            method: "POST", uri: "/upload", headers: ["Content-Type": "multipart/form-data; boundary=B"],
            body: input.bytes)
        _ = try? RequestArguments(parsing: fixed)
    }
}
