/// A file uploaded in a `multipart/form-data` body.
///
/// Tornado: `tornado.httputil.HTTPFile` (`filename`, `body`, `content_type`).
public struct UploadedFile: Sendable, Equatable {
    /// The file name the client gave (as sent; never trust it as a path).
    public var filename: String
    /// The file's bytes.
    public var body: [UInt8]
    /// The part's `Content-Type`, `application/unknown` when the client sent none.
    public var contentType: String

    /// Creates an uploaded file value.
    public init(filename: String, body: [UInt8], contentType: String) {
        self.filename = filename
        self.body = body
        self.contentType = contentType
    }
}
