import Gale
import GaleTesting
import Testing

/// Reports arguments and files as text: `name=value` lines.
final class ArgumentsHandler: RequestHandler {
    override func get() throws { try report() }
    override func post() throws { try report() }

    private func report() throws {
        switch request.path {
        case "/one": try write(try getArgument("name"))
        case "/default": try write(try getArgument("name", default: "fallback") ?? "nil")
        case "/raw": try write("[\(try getArgument("name", strip: false))]")
        case "/all": try write(try getArguments("name").joined(separator: ","))
        case "/query": try write(try getQueryArguments("name").joined(separator: ","))
        case "/body": try write(try getBodyArguments("name").joined(separator: ","))
        case "/files":
            for (field, files) in try arguments.files.sorted(by: { $0.key < $1.key }) {
                for file in files {
                    try write(
                        "\(field):\(file.filename):\(file.contentType):\(String(decoding: file.body, as: UTF8.self))\n")
                }
            }
            try write("title=\(try getBodyArgument("title"))")
        default: throw HTTPError(404)
        }
    }
}

@Suite struct ArgumentTests {
    let app = Application([try! URLSpec("/.*", ArgumentsHandler.self)]).quiet()

    @Test(arguments: TestMode.allCases)
    func queryAndFormArguments(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            #expect(try await client.get("/one?name=caf%C3%A9+au+lait").text == "café au lait")
            #expect(try await client.get("/one?name=a&name=b").text == "b")
            #expect(try await client.get("/default").text == "fallback")
            #expect(try await client.get("/raw?name=%20x%20").text == "[ x ]")
            #expect(try await client.get("/one?name=%20x%20").text == "x")
            #expect(try await client.get("/all?name=1&name=&name=3").text == "1,,3")
            let form = try await client.post("/all?name=q", form: [("name", "b1"), ("name", "b&2")])
            #expect(form.text == "q,b1,b&2")
            #expect(try await client.post("/query?name=q", form: [("name", "b")]).text == "q")
            #expect(try await client.post("/body?name=q", form: [("name", "b")]).text == "b")
        }
    }

    @Test func controlCharactersBecomeSpaces() async throws {
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/raw?name=a%00b%1Fc%09d").text == "[a b c\td]")
        }
    }

    @Test(arguments: TestMode.allCases)
    func multipartUploads(mode: TestMode) async throws {
        let boundary = "----GaleBoundary42"
        let body = [
            "--\(boundary)",
            #"Content-Disposition: form-data; name="title""#,
            "",
            "My photos",
            "--\(boundary)",
            #"Content-Disposition: form-data; name="upload"; filename="a;b \"q\".txt""#,
            "Content-Type: text/plain",
            "",
            "first file\r\nwith two lines",
            "--\(boundary)",
            #"Content-Disposition: form-data; name="upload"; filename="b.bin""#,
            "",
            "second",
            "--\(boundary)--",
            "",
        ].joined(separator: "\r\n")
        try await app.test(mode) { client async throws in
            let response = try await client.post(
                "/files", headers: ["Content-Type": "multipart/form-data; boundary=\"\(boundary)\""],
                body: Array(body.utf8))
            #expect(response.status == 200)
            #expect(
                response.text == """
                    upload:a;b "q".txt:text/plain:first file\r
                    with two lines
                    upload:b.bin:application/unknown:second
                    title=My photos
                    """)
        }
    }

    @Test(arguments: TestMode.allCases)
    func badArgumentsGet400AndTheNextRequestWorks(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let missing = try await client.get("/one")
            #expect(missing.status == 400)
            #expect(missing.reason == "Missing argument name")

            let badEscape = try await client.get("/one?name=%zz")
            #expect(badEscape.status == 400)
            #expect(badEscape.reason == "Malformed percent-encoding in query")

            let badUTF8 = try await client.get("/one?name=%C3%28")
            #expect(badUTF8.status == 400)
            #expect(badUTF8.reason == "Invalid unicode in name")

            let badBody = try await client.post(
                "/body", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array("name=%G1".utf8))
            #expect(badBody.status == 400)

            let noBoundary = try await client.post(
                "/files", headers: ["Content-Type": "multipart/form-data"], body: Array("x".utf8))
            #expect(noBoundary.status == 400)

            let truncated = try await client.post(
                "/files", headers: ["Content-Type": "multipart/form-data; boundary=zz"],
                body: Array("--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".utf8))
            #expect(truncated.status == 400)
            #expect(truncated.reason == "Invalid multipart/form-data")

            #expect(try await client.get("/one?name=fine").text == "fine")
        }
    }
}
