#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `datetime` in a template: the parts of Python's module that pages use, in UTC.
/// `datetime.datetime.now()` / `utcnow()`, `datetime.date.today()`,
/// `datetime.datetime.fromtimestamp(seconds)`; each value has `year`, `month`, `day`, `hour`,
/// `minute`, `second`, `weekday()`, `isoformat()`, `strftime(format)` and `timestamp()`, so
/// `{{ datetime.date.today().year }}` and `{{ locale.format_date(entry.created) }}` work.
struct DatetimeTemplateObject: TemplateObject {
    func templateAttribute(_ name: String) -> TemplateValue? {
        switch name {
        case "datetime": .object(Constructors(dateOnly: false))
        case "date": .object(Constructors(dateOnly: true))
        default: nil
        }
    }

    /// `datetime.datetime` or `datetime.date`.
    struct Constructors: TemplateObject {
        let dateOnly: Bool

        func templateAttribute(_ name: String) -> TemplateValue? {
            let dateOnly = self.dateOnly
            switch name {
            case "now", "utcnow", "today":
                return .function(
                    TemplateFunction(name) { _ in
                        .object(Moment(microseconds: CivilTime.microseconds(Date()), dateOnly: dateOnly))
                    })
            case "fromtimestamp", "utcfromtimestamp":
                return .function(
                    TemplateFunction(name) { arguments in
                        let seconds: Double
                        switch arguments.positional.first {
                        case .int(let value): seconds = Double(value)
                        case .double(let value): seconds = value
                        default: throw ProgrammerError("\(name)() needs seconds since 1970")
                        }
                        return .object(
                            Moment(
                                microseconds: CivilTime.microseconds(Date(timeIntervalSince1970: seconds)),
                                dateOnly: dateOnly))
                    })
            default:
                return nil
            }
        }
    }

    /// One moment (or day), UTC.
    struct Moment: TemplateObject, CustomStringConvertible {
        let microseconds: Int
        let dateOnly: Bool

        private var civil: CivilTime { CivilTime(microsecondsSince1970: microseconds) }

        func templateAttribute(_ name: String) -> TemplateValue? {
            let civil = self.civil
            switch name {
            case "year": return .int(civil.year)
            case "month": return .int(civil.month)
            case "day": return .int(civil.day)
            case "hour" where !dateOnly: return .int(civil.hour)
            case "minute" where !dateOnly: return .int(civil.minute)
            case "second" where !dateOnly:
                return .int(((CivilTime.floorDivide(microseconds, CivilTime.microsecondsPerSecond) % 60) + 60) % 60)
            case "weekday": return .function(TemplateFunction(name) { _ in .int(civil.weekday) })
            case "isoformat": return .function(TemplateFunction(name) { [description] _ in .string(description) })
            case "strftime":
                return .function(
                    TemplateFunction(name) { [self] arguments in
                        guard case .string(let format)? = arguments.positional.first else {
                            throw ProgrammerError("strftime() needs a format string")
                        }
                        return .string(strftime(format))
                    })
            case "timestamp" where !dateOnly:
                let seconds = Double(microseconds) / Double(CivilTime.microsecondsPerSecond)
                return .function(TemplateFunction(name) { _ in .double(seconds) })
            default: return nil
            }
        }

        /// `isoformat()`: `2026-11-29`, `2026-11-29T05:30:00`, or with `.500000` microseconds.
        var description: String {
            let civil = self.civil
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let year = String(repeating: "0", count: max(0, 4 - String(civil.year).count)) + String(civil.year)
            let date = "\(year)-\(two(civil.month))-\(two(civil.day))"
            if dateOnly { return date }
            let wholeSeconds = CivilTime.floorDivide(microseconds, CivilTime.microsecondsPerSecond)
            let second = ((wholeSeconds % 60) + 60) % 60
            let fraction = microseconds - wholeSeconds * CivilTime.microsecondsPerSecond
            let micro = fraction == 0 ? "" : "." + String(String(fraction + 1_000_000).dropFirst())  // .500000
            return date + "T\(two(civil.hour)):\(two(civil.minute)):\(two(second))" + micro
        }
    }
}
