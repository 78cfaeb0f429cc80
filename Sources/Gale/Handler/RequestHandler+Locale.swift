#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension RequestHandler {
    /// The locale for this request: `getUserLocale()`, else the browser's. Chosen once per
    /// request. Tornado: `self.locale`.
    public var locale: Locale {
        if let localeCache { return localeCache }
        let chosen = getUserLocale() ?? getBrowserLocale()
        localeCache = chosen
        return chosen
    }

    /// The supported locale closest to the request's `Accept-Language` (q-values honoured),
    /// else `defaultCode`. Tornado: `get_browser_locale(default="en_US")`.
    public func getBrowserLocale(default defaultCode: String = "en_US") -> Locale {
        application.settings.translations.browserLocale(
            acceptLanguage: request.headers["Accept-Language"], default: defaultCode)
    }
}

/// `locale` in a template: `locale.code`, `locale.name`, `locale.rtl`, `locale.translate(...)`,
/// `locale.pgettext(...)`, `locale.list([...])`, `locale.friendly_number(n)`, and
/// `locale.format_date(timestamp, gmt_offset=0, relative=True, shorter=False,
/// full_format=False)` / `locale.format_day(timestamp, gmt_offset=0, dow=True)` with a Unix
/// timestamp (Tornado also takes a `datetime`, which Gale's templates do not have).
struct LocaleTemplateObject: TemplateObject {
    let locale: Locale

    func templateAttribute(_ name: String) -> TemplateValue? {
        switch name {
        case "code": .string(locale.code)
        case "name": .string(locale.name)
        case "rtl": .bool(locale.rtl)
        case "translate": .function(Self.translate(locale))
        case "pgettext": .function(Self.pgettext(locale))
        case "list":
            .function(
                TemplateFunction("list") { [locale] arguments in
                    guard case .list(let parts) = arguments.positional.first ?? .none else {
                        throw ProgrammerError("locale.list needs a list")
                    }
                    return .string(locale.list(parts.map(\.text)))
                })
        case "format_date":
            .function(
                TemplateFunction("format_date") { [locale] arguments in
                    .string(
                        locale.formatDate(
                            try Self.date(arguments.value(0, "date")),
                            gmtOffset: Self.count(arguments.value(1, "gmt_offset")) ?? 0,
                            relative: arguments.value(2, "relative")?.isTruthy ?? true,
                            shorter: arguments.value(3, "shorter")?.isTruthy ?? false,
                            fullFormat: arguments.value(4, "full_format")?.isTruthy ?? false))
                })
        case "format_day":
            .function(
                TemplateFunction("format_day") { [locale] arguments in
                    .string(
                        locale.formatDay(
                            try Self.date(arguments.value(0, "date")),
                            gmtOffset: Self.count(arguments.value(1, "gmt_offset")) ?? 0,
                            dayOfWeek: arguments.value(2, "dow")?.isTruthy ?? true))
                })
        case "friendly_number":
            .function(
                TemplateFunction("friendly_number") { [locale] arguments in
                    guard case .int(let value) = arguments.positional.first ?? .none else {
                        throw ProgrammerError("locale.friendly_number needs an integer")
                    }
                    return .string(locale.friendlyNumber(value))
                })
        default: nil
        }
    }

    /// `_(message, plural_message=None, count=None)`.
    static func translate(_ locale: Locale) -> TemplateFunction {
        TemplateFunction("_") { arguments in
            guard case .string(let message) = arguments.value(0, "message") ?? .none else {
                throw ProgrammerError("_() needs a message string")
            }
            return .string(
                locale.translate(
                    message, pluralMessage: text(arguments.value(1, "plural_message")),
                    count: count(arguments.value(2, "count"))))
        }
    }

    /// `pgettext(context, message, plural_message=None, count=None)`.
    static func pgettext(_ locale: Locale) -> TemplateFunction {
        TemplateFunction("pgettext") { arguments in
            guard case .string(let context) = arguments.value(0, "context") ?? .none,
                case .string(let message) = arguments.value(1, "message") ?? .none
            else { throw ProgrammerError("pgettext() needs a context and a message") }
            return .string(
                locale.pgettext(
                    context: context, message: message, pluralMessage: text(arguments.value(2, "plural_message")),
                    count: count(arguments.value(3, "count"))))
        }
    }

    /// A Unix timestamp in seconds, as Tornado's `format_date` also accepts.
    private static func date(_ value: TemplateValue?) throws -> Date {
        switch value {
        case .int(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .double(let seconds) where seconds.isFinite: return Date(timeIntervalSince1970: seconds)
        default: throw ProgrammerError("format_date needs a Unix timestamp in seconds")
        }
    }

    private static func text(_ value: TemplateValue?) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    private static func count(_ value: TemplateValue?) -> Int? {
        switch value {
        case .int(let count): count
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }
}
