// Tornado's WebSocket chat demo (demos/websocket/chatdemo.py) in Gale, with the long-poll
// routes of its sibling demo (demos/chat) for clients without WebSockets.
import ArgumentParser
import Gale
import GaleCommand

@main
struct Chat: GaleApp {
    /// Chat signs only its XSRF tokens, which need no cookie secret.
    static var usesCookieSecret: Bool { false }

    /// This file's folder, so `swift run chat` finds `templates/` and `static/` from anywhere
    /// (the demo's `os.path.join(os.path.dirname(__file__), "templates")`).
    static let exampleDirectory: String = {
        let file = #filePath
        return file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
    }()

    static func makeApplication(server: ServerOptions, options: NoOptions) throws -> Application {
        let room = ChatRoom()
        let settings = Settings(
            debug: server.debug,
            xsrfCookies: true,
            // The form carries the token and no script reads the cookie, so scripts may not
            // (Tornado's default leaves it readable for pages that send X-XSRFToken from it).
            xsrfCookieOptions: CookieOptions(httpOnly: true),
            staticPath: exampleDirectory + "/static",
            templatePath: exampleDirectory + "/templates"
        )
        return Application(
            [
                try URLSpec(#"/"#, MainHandler.self, room),
                try URLSpec(#"/chatsocket"#, ChatSocketHandler.self, room),
                try URLSpec(#"/a/message/new"#, MessageNewHandler.self, room),
                try URLSpec(#"/a/message/updates"#, MessageUpdatesHandler.self, room),
            ],
            settings: settings)
    }
}
