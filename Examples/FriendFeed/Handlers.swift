import Gale

/// The home page: the guide's template, written from the handler until templates land.
final class MainHandler: RequestHandler {
    override func get() throws {
        let user = getCookie("user").map { ", \(Escape.xhtmlEscape($0))" } ?? ""
        try write(
            """
            <html>
               <head>
                  <title>FriendFeed - Home</title>
               </head>
               <body>
                 <div><img src="\(Escape.xhtmlEscape(try staticURL("images/logo.png")))"/></div>
                 <p>Welcome\(user).</p>
               </body>
             </html>
            """)
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
