import Gale

/// The page: the list and a form to add to it (GET), and the form's POST.
final class TodoPageHandler: RequestHandler, InitializableHandler {
    private var todos: TodoList!
    func initialize(_ todos: TodoList) { self.todos = todos }

    override func get() throws {
        try render("index.html", ["title": "To do", "items": todos.all])
    }

    override func post() throws {
        let title = try getArgument("title")  // stripped of surrounding spaces, as in Tornado
        guard (1...200).contains(title.count) else {
            throw HTTPError(400, reason: "A title of 1 to 200 characters")
        }
        todos.add(title)
        try redirect("/")
    }
}

/// The list as JSON: `{"items": [{"title": ...}]}`.
final class TodoJSONHandler: RequestHandler, InitializableHandler {
    private var todos: TodoList!
    func initialize(_ todos: TodoList) { self.todos = todos }

    override func get() throws {
        try write(["items": todos.all])
    }
}
