import Gale

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the signed-in user from the secure `user` cookie, as the guide's `BaseHandler`.
class BaseHandler: RequestHandler {
    override func getCurrentUser() throws -> TemplateValue? {
        try getSecureCookie("user").map(TemplateValue.string)
    }
}

/// The home page: the guide's template (templates/index.html), in the browser's language,
/// for signed-in users only (others go to /login?next=/).
final class MainHandler: BaseHandler {
    override class var authenticatedMethods: Set<String> { ["GET", "HEAD"] }

    override func get() throws {
        try render("index.html", ["user": try currentUser ?? .none])
    }
}

/// The sign-in form (with the XSRF token) and its POST: the name goes into the secure `user`
/// cookie, then back to `next` if it is a path on this site.
final class LoginHandler: BaseHandler {
    override func get() throws {
        try render("login.html", ["next": .string(localRedirectTarget(try getArgument("next", default: nil)))])
    }

    override func post() throws {
        let name = try getArgument("name")
        guard !name.isEmpty, name.count <= 100 else { throw HTTPError(400, reason: "A name of 1 to 100 characters") }
        try setSecureCookie("user", name, CookieOptions(httpOnly: true, sameSite: "Lax"))
        try redirect(localRedirectTarget(try getArgument("next", default: nil)))
    }
}

/// Signs out: clears the `user` cookie and goes home.
final class LogoutHandler: BaseHandler {
    override func get() throws {
        try clearCookie("user")
        try redirect("/")
    }
}

/// What the server believes about the client, to check a load balancer's headers, and which
/// process answered (`task_id` is null in a single process).
final class WhoAmIHandler: RequestHandler {
    struct Answer: Encodable {
        var remoteIP: String
        var `protocol`: String
        var pid: Int
        var taskID: Int?

        enum CodingKeys: String, CodingKey {
            case remoteIP = "remote_ip"
            case `protocol`
            case pid
            case taskID = "task_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(remoteIP, forKey: .remoteIP)
            try container.encode(`protocol`, forKey: .protocol)
            try container.encode(pid, forKey: .pid)
            try container.encode(taskID, forKey: .taskID)  // null, not left out, when single
        }
    }

    override func get() throws {
        try write(
            Answer(
                remoteIP: request.remoteIP, protocol: request.protocol, pid: Int(getpid()),
                taskID: ServerProcess.taskID))
    }
}
