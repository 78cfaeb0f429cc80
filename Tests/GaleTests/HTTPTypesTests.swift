import Gale
import GaleTesting
import Testing

/// Speaks swift-http-types' vocabulary with `import Gale` alone: typed methods, statuses and
/// field names.
final class TypedVocabularyHandler: RequestHandler {
    override func get() throws {
        switch request.path {
        case "/typed":
            guard request.httpMethod == .get, let agent = request.headers[.userAgent] else {
                throw HTTPError(.badRequest)
            }
            try setStatus(.created)
            try setHeader(.cacheControl, "no-store")
            try addHeader(.vary, "Accept")
            try addHeader(.vary, "Cookie")
            try setHeader(.age, 3)
            clearHeader(.server)
            try write("\(agent) \(responseStatus.code) \(responseStatus.reasonPhrase)")
        case "/custom":
            try setStatus(.init(code: 299, reasonPhrase: "Fine Enough"))
            try write(responseStatus.reasonPhrase)
        case "/missing":
            throw HTTPError(.notFound, logMessage: "no such thing")
        case "/gone":
            throw HTTPError(.init(code: 410, reasonPhrase: "Long Gone"))
        case "/teapot":
            sendError(.init(code: 418, reasonPhrase: "Short And Stout"))
        case "/crlf":
            var refused: [String] = []
            do { try setHeader(.cacheControl, "a\r\nSet-Cookie: evil=1") } catch { refused.append("crlf") }
            do { try addHeader(.vary, "a\nb") } catch { refused.append("lf") }
            do { try setStatus(.init(code: 42)) } catch { refused.append("status") }
            try write(refused.joined(separator: ","))
        default:
            sendError(.serviceUnavailable)
        }
    }
}

@Suite struct HTTPTypesTests {
    @Test func typedFieldNamesReadAndWriteHeaders() {
        var headers: HTTPHeaders = ["User-Agent": "curl", "set-cookie": "a=1"]
        headers.add(.setCookie, "b=2")
        #expect(headers[.userAgent] == "curl")
        #expect(headers.values(for: .setCookie) == ["a=1", "b=2"])
        #expect(headers.contains(.setCookie) && !headers.contains(.cookie))
        headers.replaceOrAdd(.setCookie, "c=3")
        #expect(headers.values(for: "Set-Cookie") == ["c=3"])
        headers.remove(.userAgent)
        #expect(headers[.userAgent] == nil)
        headers.add(.cacheControl, "no-store")
        // A registered name keeps its registered spelling.
        #expect(headers.map(\.name) == ["set-cookie", "Cache-Control"])
    }

    @Test func typedMethodOfARequest() {
        #expect(ServerRequest(method: "POST", uri: "/").httpMethod == .post)
        #expect(ServerRequest(method: "PROPFIND", uri: "/").httpMethod?.rawValue == "PROPFIND")
        #expect(ServerRequest(method: "GE T", uri: "/").httpMethod == nil)
    }

    @Test func headersRoundTripThroughHTTPFields() {
        let headers: HTTPHeaders = [
            "Host": "example.com", "X-Custom-Header-Longer-Than-15": "1", "set-cookie": "a=1",
            "Accept": "text/html", "Set-Cookie": "b=2", "SET-COOKIE": "c=3",
        ]
        let fields = HTTPFields(headers)
        #expect(fields.count == 6)
        #expect(fields.map(\.name.rawName) == headers.map(\.name))
        #expect(fields.map(\.value) == headers.map(\.value))
        #expect(fields[values: .setCookie] == ["a=1", "b=2", "c=3"])
        #expect(HTTPHeaders(fields) == headers)

        var ecosystem = HTTPFields()
        ecosystem.append(HTTPField(name: .contentType, value: "text/plain"))
        ecosystem.append(HTTPField(name: HTTPField.Name("x-Mixed-CASE")!, value: "v"))
        ecosystem.append(HTTPField(name: .vary, value: "Accept"))
        ecosystem.append(HTTPField(name: .vary, value: "Cookie"))
        let gale = HTTPHeaders(ecosystem)
        #expect(gale.map(\.name) == ["Content-Type", "x-Mixed-CASE", "Vary", "Vary"])
        #expect(gale.values(for: "vary") == ["Accept", "Cookie"])
        #expect(HTTPFields(gale) == ecosystem)
        #expect(HTTPFields(gale).map(\.name.rawName) == ecosystem.map(\.name.rawName))
    }

    @Test func namesThatAreNotTokensStayBehind() {
        let headers = HTTPHeaders([
            ("Accept", "*/*"), ("Bad Name", "x"), ("", "empty"), ("X-Colon:", "y"), ("X-Ok", "z"),
        ])
        #expect(headers.invalidFieldNames == ["Bad Name", "", "X-Colon:"])
        #expect(HTTPFields(headers).map(\.name.rawName) == ["Accept", "X-Ok"])
        let valid: HTTPHeaders = ["Accept": "*/*"]
        #expect(valid.invalidFieldNames.isEmpty)
        // A value HTTPFields does not allow is legalized there; setHeader refuses it instead.
        let fields = HTTPFields(HTTPHeaders([("X-Split", "a\r\nb")]))
        #expect(fields[HTTPField.Name("X-Split")!]?.contains("\r") == false)
    }

    @Test func typedStatusesAndHeadersInAHandler() async throws {
        let app = try Application([("/.*", TypedVocabularyHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            let typed = try await client.get("/typed", headers: ["User-Agent": "tester/1"])
            #expect(typed.status == 201)
            #expect(typed.text == "tester/1 201 Created")
            #expect(typed.headers[.cacheControl] == "no-store")
            #expect(typed.headers.values(for: .vary) == ["Accept", "Cookie"])
            #expect(typed.headers[.age] == "3")
            #expect(!typed.headers.contains(.server))

            let custom = try await client.get("/custom")
            #expect(custom.status == 299 && custom.reason == "Fine Enough" && custom.text == "Fine Enough")

            let missing = try await client.get("/missing")
            #expect(missing.status == 404 && missing.reason == "Not Found")

            let gone = try await client.get("/gone")
            #expect(gone.status == 410 && gone.reason == "Long Gone")

            let teapot = try await client.get("/teapot")
            #expect(teapot.status == 418 && teapot.reason == "Short And Stout")

            let crlf = try await client.get("/crlf")
            #expect(crlf.status == 200)
            #expect(crlf.text == "crlf,lf,status")
            #expect(crlf.headers["Set-Cookie"] == nil)

            let unavailable = try await client.get("/other")
            #expect(unavailable.status == 503 && unavailable.reason == "Service Unavailable")
        }
    }

    @Test func typedErrorsAndStatusesMatchTheIntegerForms() {
        #expect(HTTPError(.notFound).status == 404)
        #expect(HTTPError(.notFound).reason == nil)
        #expect(HTTPError(.init(code: 404, reasonPhrase: "Nope")).reason == "Nope")
        #expect(HTTPError(.init(code: 404, reasonPhrase: "Nope"), reason: "Mine").reason == "Mine")
        #expect(HTTPError(404).status == 404)
    }
}
