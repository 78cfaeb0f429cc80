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

    /// The root directory, canonical (symlinks resolved), as it is when the request first
    /// needs it; for a kept file, the root the file was checked against.
    public var root: String {
        if let resolvedRoot { return resolvedRoot }
        let resolved = FileSystem.realPath(configuredRoot) ?? configuredRoot
        resolvedRoot = resolved
        return resolved
    }
    /// The root as the route gave it, without trailing slashes. Files are kept under paths
    /// spelled from it, and checked by those paths, so a deploy that points a symlink on the
    /// way to the root at a new release is followed on the next request.
    var configuredRoot = ""
    /// `root`, once resolved in this request.
    var resolvedRoot: String?
    /// Tornado: `default_filename`.
    public private(set) var defaultFilename: String?
    /// The requested path, relative to the root, as the URL gave it (decoded).
    public internal(set) var path = ""
    /// The file being served.
    public internal(set) var absolutePath = ""
    /// The file's modification time, seconds since 1970.
    public internal(set) var modified = 0
    /// The requested path's kept file, found current before serving (`runsOnThreadPool`), so
    /// that serving does not check it again; `nil` when there was none to find.
    var prepared: (key: String, file: ReadyFile?)?
    /// The same for the precompressed sibling the client takes, when there is one.
    var preparedSibling: (key: String, file: ReadyFile?)?
    /// The entry of the file being served (not of its sibling), once known.
    var servedEntry: StaticFileCache.Entry?

    /// Takes the root directory and default file name.
    open func initialize(_ arguments: InitializeArguments) {
        var configured = arguments.path.isEmpty ? "." : arguments.path
        while configured.utf8.count > 1 && configured.utf8.last == UInt8(ascii: "/") { configured.removeLast() }
        configuredRoot = configured
        resolvedRoot = nil
        defaultFilename = arguments.defaultFilename
    }

    override open class var supportedMethods: [String] { ["GET", "HEAD"] }

    /// On the thread pool while the file is cold: its first request (and, with
    /// `staticHashCache` off as in debug mode, every request) resolves its path and reads all of
    /// it for its SHA-512. A kept file that is still current (`StaticFileCache`) is served on the
    /// event loop, as nginx serves files without `aio threads`: one `stat` and no read for a
    /// small file, an `open` and an `fstat` for a larger one.
    override open func runsOnThreadPool() -> Bool {
        guard cachesFiles else { return true }
        let raw = rawMatch.flatMap { $0.positional.first ?? $0.named["path"] } ?? nil
        let key: String
        if let raw, !raw.utf8.contains(UInt8(ascii: "%")) {
            key = configuredRoot + "/" + raw  // nothing to decode
        } else if let relative = Self.decodePathComponent(raw) {
            key = configuredRoot + "/" + relative
        } else {
            return false  // bad input: answered at once
        }
        guard let primary = prepare(key) else { return true }
        let representation = chooseRepresentation(primary.entry)
        // The sibling the client takes must be current too, or it is read off the loop.
        return representation.encoding != nil && prepareSibling(representation.path) == nil
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
        if let prepared, prepared.key == absolutePath, let file = prepared.file {
            return file.entry.path  // checked when it was kept, and the same file still
        }
        guard let resolved = FileSystem.realPath(absolutePath) else {
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
            guard let inner = FileSystem.realPath(file), inner.hasPrefix(root + "/") else {
                throw HTTPError(404)
            }
            file = inner
            status = FileSystem.status(file)
        }
        guard let status else { throw HTTPError(404) }
        guard status.isRegularFile else {
            throw HTTPError(403, logMessage: "\(file) is not a file")
        }
        return file
    }

    /// Seconds the client may cache `path`: `cacheMaxAge` for versioned URLs (`?v=`), else 0
    /// (no `Expires` / `Cache-Control`). Tornado: `get_cache_time(path, modified, mime_type)`.
    open func getCacheTime(path: String, modified: Int, mimeType: String) -> Int {
        guard !request.query.isEmpty else { return 0 }
        return request.query.split(separator: "&").contains { $0 == "v" || $0.hasPrefix("v=") } ? Self.cacheMaxAge : 0
    }

    /// Adds headers of your own for `path`. Tornado: `set_extra_headers(path)`.
    open func setExtraHeaders(path: String) throws {}

    /// The `Content-Type` of the file. Tornado: `get_content_type()`.
    open func getContentType() -> String {
        if let servedEntry, servedEntry.path == absolutePath { return servedEntry.contentType }
        return MIMETypes.contentType(forPath: absolutePath)
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

    private func serve(includeBody: Bool) throws {
        path = pathArgs.first ?? pathKwargs["path"] ?? ""
        guard !path.utf8.contains(0), !path.utf8.contains(UInt8(ascii: "\\")) else {
            throw HTTPError(404, logMessage: "refused static path \(path.debugDescription)")
        }
        let requested = configuredRoot + "/" + path
        if cachesFiles, let kept = prepare(requested) { resolvedRoot = kept.entry.root }
        guard let file = try validateAbsolutePath(root: root, absolutePath: requested) else { return }
        absolutePath = file
        try serveFile(includeBody: includeBody, requested: requested)
    }
}
