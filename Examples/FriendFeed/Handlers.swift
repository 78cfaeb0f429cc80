import Gale

/// The home page: the guide's template (templates/index.html), in the browser's language.
final class MainHandler: RequestHandler {
    override func get() throws {
        try render("index.html", ["user": getCookie("user").map(TemplateValue.string) ?? .none])
    }
}

/// The sign-in form. Posting it (secure cookie and XSRF) arrives with the cookie issue.
final class LoginHandler: RequestHandler {
    override class var supportedMethods: [String] { ["GET", "HEAD"] }

    override func get() throws {
        let next = Escape.xhtmlEscape(try getArgument("next", default: "/") ?? "/")
        try write(
            """
            <html><head><title>FriendFeed - Sign in</title></head><body>
            <form action="/login" method="post">
              <input type="hidden" name="next" value="\(next)">
              <label>Name <input name="name"></label>
              <button type="submit">Sign in</button>
            </form>
            </body></html>
            """)
    }
}

/// Signs out: clears the `user` cookie and goes home.
final class LogoutHandler: RequestHandler {
    override func get() throws {
        try clearCookie("user")
        try redirect("/")
    }
}

/// What the server believes about the client, to check a load balancer's headers.
final class WhoAmIHandler: RequestHandler {
    override func get() throws {
        try write(["remote_ip": request.remoteIP, "protocol": request.protocol])
    }
}
