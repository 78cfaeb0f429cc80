/// Gale's template engine for Tornado's template syntax.
///
/// This module is the home of the template parser, compiled templates and the loader; the
/// engine itself arrives with the templates issue. `Gale` already depends on this target so
/// the dependency direction of DESIGN.md holds from the start.
public enum TemplateEngine {}
