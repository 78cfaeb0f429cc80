extension RequestHandler {
    /// The URL of static file `path` with its content version: `/static/path?v=<sha512>`.
    /// Tornado: `static_url(path, include_version=True)`. Use it in pages so the URL changes
    /// whenever the file does, and browsers can keep it for ten years.
    public func staticURL(_ path: String, includeVersion: Bool = true) throws(ProgrammerError) -> String {
        guard application.settings.staticPath != nil else {
            throw ProgrammerError("staticURL(\(path)) needs the staticPath setting")
        }
        return application.settings.staticHandlerClass.makeStaticURL(
            application: application, path: path, includeVersion: includeVersion)
    }
}
