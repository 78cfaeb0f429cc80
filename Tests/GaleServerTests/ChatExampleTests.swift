import Foundation
import Gale
import GaleClient
import GaleServer
import GaleTesting
import Testing

/// `Examples/Chat` as users run it: a real `chat` process, real clients.
@Suite struct ChatExampleTests {
    func startChat() async throws -> (ExampleProcess, Int) {
        let chat = try ExampleProcess("chat", ["serve", "--port", "0", "--address", "127.0.0.1"])
        let port = try #require(await chat.servingPort(), "\(chat.printed)")
        return (chat, port)
    }

    @Test(.timeLimit(.minutes(1)))
    func pageSocketsAndLongPoll() async throws {
        let (chat, port) = try await startChat()
        let page = try await httpGet(port: port, "/")
        #expect(page.status == 200)
        #expect(page.text.contains(#"<form action="/a/message/new" method="post" id="messageform">"#))
        #expect(page.text.contains(#"name="_xsrf""#))
        let xsrfCookie = page.headers.values(for: "Set-Cookie").first { $0.hasPrefix("_xsrf=") }
        #expect(xsrfCookie?.contains("; HttpOnly") == true, "\(xsrfCookie ?? "no _xsrf cookie")")
        let script = try #require(page.text.firstMatch(of: /<script src="(\/static\/chat\.js\?v=[0-9a-f]+)"/)?.1)
        #expect(try await httpGet(port: port, String(script)).status == 200)
        #expect(!page.text.contains("http://") && !page.text.contains("https://"), "the page fetches from outside")

        // A long poll waits for the next message; a WebSocket posts it.
        let xsrf = try #require(page.cookie("_xsrf"))
        async let polled = httpRequest(
            port: port, "POST", "/a/message/updates?cursor=none",
            ["Cookie": "_xsrf=\(xsrf)", "X-XSRFToken": xsrf])
        let alice = try await websocketConnect(
            "ws://127.0.0.1:\(port)/chatsocket", compression: WebSocketCompressionOptions())
        let bob = try await websocketConnect("ws://127.0.0.1:\(port)/chatsocket")
        try await Task.sleep(for: .milliseconds(100))  // the poll is waiting by now
        try await alice.writeMessage(#"{"body": "hi <all> www.example.com"}"#)
        for socket in [alice, bob] {
            let message = try #require(await socket.readMessage()?.text)
            let id = try #require(message.firstMatch(of: /"id": "([0-9a-f-]+)"/)?.1)
            #expect(message.contains(#""body": "hi <all> www.example.com""#))
            #expect(
                message.contains(
                    #""html": "<div class=\"message\" id=\"m\#(id)\">hi &lt;all&gt; <a href=\"http://www.example.com\">www.example.com<\/a><\/div>\n""#
                ), "\(message)")
        }
        let poll = try await polled
        #expect(poll.status == 200)
        #expect(poll.text.contains(#""body": "hi <all> www.example.com""#))

        // The form's POST without JavaScript: the message, then back to the page.
        let form = try await httpRequest(
            port: port, "POST", "/a/message/new",
            ["Cookie": "_xsrf=\(xsrf)", "Content-Type": "application/x-www-form-urlencoded"],
            body: Array("_xsrf=\(xsrf)&body=from+a+form&next=%2F".utf8))
        #expect(form.status == 302)
        #expect(form.headers["Location"] == "/")
        #expect(await alice.readMessage()?.text?.contains("from a form") == true)
        #expect(try await httpGet(port: port, "/").text.contains(">from a form</div>"))
        // Without the token: 403, and nothing is posted.
        let forged = try await httpRequest(
            port: port, "POST", "/a/message/new", ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array("body=forged".utf8))
        #expect(forged.status == 403)

        await alice.close()
        await bob.close()
        #expect(await chat.stop() == 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func pythonWebsocketsClient() async throws {
        let (chat, port) = try await startChat()
        let (status, output) = try await runPythonScript("chat_websockets_client.py", port: port)
        #expect(status == 0, "\(output)")
        #expect(output.hasSuffix("ok\n"), "\(output)")
        #expect(await chat.stop() == 0)
    }

    @Test(.timeLimit(.minutes(3)))
    func twoPeopleChatInChromium() async throws {
        let (chat, port) = try await startChat()
        let (status, output) = try await runPythonScript("chat_browser.py", port: port)
        #expect(status == 0, "\(output)")
        #expect(await chat.stop() == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func fastCGIRefusesTheSocketRouteUnlessServingTheRest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-chat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = try ExampleProcess("chat", ["fastcgi", "--socket", directory.path + "/chat.sock"])
        let status = await refused.stop(signal: 0, timeout: .seconds(20))
        #expect(status != 0 && status != nil)
        #expect(refused.printed.contains("/chatsocket -> ChatSocketHandler: needs WebSockets"), "\(refused.printed)")
        #expect(refused.printed.contains("/a/message/updates -> MessageUpdatesHandler: needs async handler methods"))

        // With --serve-rest, behind real nginx: the page is served, the socket answers 501.
        let deploy = try DeployConfig("nginx-fastcgi.conf")
        defer { deploy.remove() }
        let app = try ExampleProcess(
            "chat", ["fastcgi", "--socket", deploy.socket, "--socket-mode", "666", "--serve-rest"],
            directory: deploy.directory)
        #expect(await app.waitForOutput(containing: "serving FastCGI"), "\(app.printed)")
        let nginx = try ExampleProcess(
            "/usr/sbin/nginx",
            ["-c", deploy.path, "-p", deploy.directory.path + "/", "-e", deploy.directory.path + "/error.log"])
        try #require(await deploy.waitUntilListening(), "nginx did not start: \(nginx.printed)")
        let page = try await deploy.get("/")
        #expect(page.status == 200)
        #expect(page.text.contains(#"id="messageform""#))
        let socket = try await deploy.get(
            "/chatsocket",
            [
                "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            ])
        #expect(socket.status == 501)
        #expect(
            socket.text.contains("GET /chatsocket needs WebSockets, which FastCGI does not offer"), "\(socket.text)")
        #expect(await nginx.stop() == 0)
        #expect(await app.stop() == 0)
    }
}
