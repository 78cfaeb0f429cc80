/// Serves the files of a directory, with the caching Tornado's deployment guide describes.
///
/// Tornado: `tornado.web.StaticFileHandler`. The application routes `staticURLPrefix` to it
/// when `Settings.staticPath` is set; any route with one group can use it too, as Tornado's guide does with
/// `(r"/(apple-touch-icon\.png)", StaticFileHandler, dict(path=...))`:
///
/// ```swift
/// try URLSpec(#"/(apple-touch-icon\.png)"#, StaticFileHandler.self, .init(path: "static"))
/// ```
///
/// What it sends: a strong `ETag` (the quoted SHA-512 hex of the content, as Tornado 6, so a
/// fleet mixing Tornado and Gale shares cache entries), `Last-Modified`, `Accept-Ranges`,
/// `Content-Type` from the extension, and with `?v=` in the URL (see `staticURL`) far-future
/// `Expires` and `Cache-Control: max-age=315360000`. It answers `If-None-Match` and
/// `If-Modified-Since` with 304, `Range` with 206 (several ranges as `multipart/byteranges`)
/// or 416, honours `If-Range`, and serves `name.br` / `name.gz` siblings to clients that
/// accept them. No path outside the root is ever served, symlinks included.
///
/// Subclassing notes: override `getCacheTime`, `setExtraHeaders`, `validateAbsolutePath`,
/// `getContentType` and the class method `getContentVersion`.
open class StaticFileHandler: RequestHandler, InitializableHandler {
    /// What a route passes: the root directory and an optional file for directory URLs.
    public struct InitializeArguments: Sendable {
        /// The root directory. Tornado: `path`.
        public var path: String
        /// Served for a URL naming a directory (which must end in `/`; others are redirected).
        /// Tornado: `default_filename`.
        public var defaultFilename: String?

        /// Creates the arguments.
        public init(path: String, defaultFilename: String? = nil) {
            self.path = path
            self.defaultFilename = defaultFilename
        }
    }

    /// Ten years, in seconds: the `max-age` for versioned URLs. Tornado: `CACHE_MAX_AGE`.
    public static let cacheMaxAge = 86_400 * 365 * 10

    /// The root directory, canonical (symlinks resolved).
    public private(set) var root = ""
    /// Tornado: `default_filename`.
    public private(set) var defaultFilename: String?
    /// The requested path, relative to the root, as the URL gave it (decoded).
    public internal(set) var path = ""
    /// The file being served.
    public internal(set) var absolutePath = ""
    /// The file's modification time, seconds since 1970.
    public internal(set) var modified = 0
    /// The `stat` that validation made, so serving does not repeat it.
    var lastStatus: (path: String, status: FileSystem.Status)?

    /// Takes the root directory and default file name.
    open func initialize(_ arguments: InitializeArguments) {
        root = realPath(arguments.path) ?? arguments.path
        defaultFilename = arguments.defaultFilename
    }

    override open class var supportedMethods: [String] { ["GET", "HEAD"] }

    /// On the thread pool while the file is cold: the first request for a file resolves its
    /// path and reads all of it for its SHA-512 (`staticHashCache` off, as in debug mode, makes
    /// every request do so). Once warm, a request costs a `stat` and an `open` on the event
    /// loop, as nginx serves files without `aio threads`.
    override open func runsOnThreadPool() -> Bool {
        guard application.settings.effectiveStaticHashCache else { return true }
        let raw = rawMatch.flatMap { $0.positional.first ?? $0.named["path"] } ?? nil
        guard let relative = Self.decodePathComponent(raw) else { return false }
        return !application.staticFiles.isWarm(root + "/" + relative)
    }

    override open func get() throws {
        try serve(includeBody: true)
    }

    override open func head() throws {
        try serve(includeBody: false)
    }

    // MARK: Overridable

    /// Checks that `absolutePath` lies inside `root` and names a file; returns the file to
    /// serve, or `nil` when the request was answered otherwise (a redirect). Throws 403 for a
    /// path outside the root and 404 for one that does not exist.
    /// Tornado: `validate_absolute_path(root, absolute_path)`.
    open func validateAbsolutePath(root: String, absolutePath: String) throws -> String? {
        guard let resolved = realPath(absolutePath) else {
            throw HTTPError(404)
        }
        guard resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw HTTPError(403, logMessage: "\(path) is not in the static root")
        }
        var file = resolved
        var status = FileSystem.status(resolved)
        if let directory = status, directory.isDirectory, let defaultFilename {
            if !request.path.hasSuffix("/") {
                if request.path.hasPrefix("//") {
                    throw HTTPError(403, logMessage: "cannot redirect a path with two leading slashes")
                }
                try redirect(request.path + "/", permanent: true)
                return nil
            }
            file = resolved + "/" + defaultFilename
            guard let inner = realPath(file), inner.hasPrefix(root + "/") else {
                throw HTTPError(404)
            }
            file = inner
            status = FileSystem.status(file)
        }
        guard let status else { throw HTTPError(404) }
        lastStatus = (file, status)
        guard status.isRegularFile else {
            throw HTTPError(403, logMessage: "\(path) is not a file")
        }
        return file
    }

    /// Seconds the client may cache `path`: `cacheMaxAge` for versioned URLs (`?v=`), else 0
    /// (no `Expires` / `Cache-Control`). Tornado: `get_cache_time(path, modified, mime_type)`.
    open func getCacheTime(path: String, modified: Int, mimeType: String) -> Int {
        request.query.split(separator: "&").contains { $0 == "v" || $0.hasPrefix("v=") } ? Self.cacheMaxAge : 0
    }

    /// Adds headers of your own for `path`. Tornado: `set_extra_headers(path)`.
    open func setExtraHeaders(path: String) throws {}

    /// The `Content-Type` of the file. Tornado: `get_content_type()`.
    open func getContentType() -> String {
        MIMETypes.contentType(forPath: absolutePath)
    }

    /// The version of a file's content: its SHA-512 in hex. Tornado: `get_content_version`.
    open class func getContentVersion(absolutePath: String) throws -> String {
        try FileSystem.sha512Hex(absolutePath)
    }

    // MARK: URLs

    /// The URL of static file `path`: `/static/path?v=<content hash>`, or without the version
    /// when `includeVersion` is false or the file cannot be read. Tornado: `make_static_url`.
    open class func makeStaticURL(application: Application, path: String, includeVersion: Bool = true) -> String {
        let settings = application.settings
        let url = settings.staticURLPrefix + path
        guard includeVersion, let root = settings.staticPath,
            let version = try? version(of: root + "/" + path, application: application)
        else { return url }
        return url + "?v=" + version
    }

    /// The cached (or, with `staticHashCache` off, fresh) content version of a file.
    static func version(of absolutePath: String, application: Application) throws -> String {
        let handlerClass = application.settings.staticHandlerClass
        guard application.settings.effectiveStaticHashCache else {
            return try handlerClass.getContentVersion(absolutePath: absolutePath)
        }
        return try application.staticFiles.hash(for: absolutePath) {
            try handlerClass.getContentVersion(absolutePath: $0)
        }
    }

    // MARK: Serving

    /// `realpath`, through the application's cache when `staticHashCache` is on.
    func realPath(_ path: String, rememberMissing: Bool = false) -> String? {
        guard application.settings.effectiveStaticHashCache else { return FileSystem.realPath(path) }
        return application.staticFiles.realPath(path, rememberMissing: rememberMissing)
    }

    private func serve(includeBody: Bool) throws {
        path = pathArgs.first ?? pathKwargs["path"] ?? ""
        guard !path.contains("\0"), !path.contains("\\") else {
            throw HTTPError(404, logMessage: "refused static path \(path.debugDescription)")
        }
        guard let file = try validateAbsolutePath(root: root, absolutePath: root + "/" + path) else { return }
        absolutePath = file
        try serveFile(includeBody: includeBody)
    }
}
