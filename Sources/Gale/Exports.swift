// Templates are part of what a handler uses (`render`, `Escape.xhtmlEscape`), so `import Gale`
// brings GaleTemplate's public API along, as `tornado.web` users reach `tornado.template`.
@_exported import GaleTemplate
