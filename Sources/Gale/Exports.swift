// Templates are part of what a handler uses (`render`, `Escape.xhtmlEscape`), so `import Gale`
// brings GaleTemplate's public API along, as `tornado.web` users reach `tornado.template`.
@_exported import GaleTemplate

// swift-http-types' field types are part of Gale's API (typed header names, the conversions to
// and from the ecosystem), so `import Gale` brings them, as `import Hummingbird` does; that also
// makes the package's members visible (`.userAgent`, `.notFound`). `HTTPRequest` and
// `HTTPResponse` are not re-exported: GaleClient's Tornado-named client types have those names.
// Code that names swift-http-types' request or status types imports `HTTPTypes` itself.
@_exported import struct HTTPTypes.HTTPField
@_exported import struct HTTPTypes.HTTPFields
