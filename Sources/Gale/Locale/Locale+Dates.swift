#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Locale {
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    private static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// A friendly date (Tornado `Locale.format_date`).
    ///
    /// Relative (the default) for the recent past: `1 second ago`, `5 minutes ago`,
    /// `2 hours ago` within a day; then `yesterday at 3:04 pm`, `Monday at 3:04 pm` within five
    /// days, `January 5 at 3:04 pm` within 334 days, and `January 5, 2020 at 3:04 pm` beyond.
    /// `relative: false` starts at the time of day; `shorter: true` leaves out the time;
    /// `fullFormat: true` always gives the full date. A date up to a minute in the future counts
    /// as now (clock skew) when relative; later dates always get the full format.
    ///
    /// Every pattern and month or weekday name goes through ``translate(_:pluralMessage:count:)``.
    /// Times use a 12-hour clock with `am`/`pm` for `en` and `en_US`, `上午`/`下午` for `zh_CN`, and
    /// 24 hours elsewhere.
    ///
    /// - Parameters:
    ///   - date: The moment to describe.
    ///   - gmtOffset: The user's offset in minutes *subtracted* from UTC, as Tornado (and
    ///     JavaScript's `getTimezoneOffset()`) count: `300` for UTC-5, `-60` for UTC+1.
    ///   - relative: Recent dates as "2 minutes ago", "yesterday".
    ///   - shorter: Without the time of day where it can be left out.
    ///   - fullFormat: Always the full date, however recent.
    ///   - now: The current time; pass a fixed value for reproducible output.
    public func formatDate(
        _ date: Date, gmtOffset: Int = 0, relative: Bool = true, shorter: Bool = false, fullFormat: Bool = false,
        now: Date = Date()
    ) -> String {
        let offset = Self.offsetMicroseconds(gmtOffset)
        let nowTime = CivilTime.microseconds(now)
        var dateTime = CivilTime.microseconds(date)
        var fullFormat = fullFormat
        if dateTime > nowTime {
            if relative && dateTime - nowTime < 60 * CivilTime.microsecondsPerSecond {
                dateTime = nowTime
            } else {
                fullFormat = true
            }
        }
        let local = CivilTime(microsecondsSince1970: dateTime - offset)
        let localYesterday = CivilTime(microsecondsSince1970: nowTime - offset - CivilTime.microsecondsPerDay)
        // Python's timedelta: whole days rounded down, then whole seconds of the remainder.
        let difference = nowTime - dateTime
        let days = CivilTime.floorDivide(difference, CivilTime.microsecondsPerDay)
        let seconds = (difference - days * CivilTime.microsecondsPerDay) / CivilTime.microsecondsPerSecond

        var pattern: String?
        if !fullFormat {
            if relative && days == 0 {
                if seconds < 50 {
                    return ago("1 second ago", "%(seconds)d seconds ago", seconds, key: "seconds")
                }
                if seconds < 50 * 60 {
                    let minutes = Int((Double(seconds) / 60).rounded(.toNearestOrEven))
                    return ago("1 minute ago", "%(minutes)d minutes ago", minutes, key: "minutes")
                }
                let hours = Int((Double(seconds) / 3600).rounded(.toNearestOrEven))
                return ago("1 hour ago", "%(hours)d hours ago", hours, key: "hours")
            }
            if days == 0 {
                pattern = translate("%(time)s")
            } else if days == 1 && local.day == localYesterday.day && relative {
                pattern = translate(shorter ? "yesterday" : "yesterday at %(time)s")
            } else if days < 5 {
                pattern = translate(shorter ? "%(weekday)s" : "%(weekday)s at %(time)s")
            } else if days < 334 {  // 11 months: "January 5" of last year would be confusing
                pattern = translate(shorter ? "%(month_name)s %(day)s" : "%(month_name)s %(day)s at %(time)s")
            }
        }
        let format =
            pattern
            ?? translate(shorter ? "%(month_name)s %(day)s, %(year)s" : "%(month_name)s %(day)s, %(year)s at %(time)s")
        return PercentFormat.format(
            format,
            TemplateDictionary([
                ("month_name", .string(translate(Self.monthNames[local.month - 1]))),
                ("weekday", .string(translate(Self.weekdayNames[local.weekday]))),
                ("day", .string(String(local.day))),
                ("year", .string(String(local.year))),
                ("time", .string(timeOfDay(local))),
            ]))
    }

    /// The day of `date`, `Monday, January 22`, or `January 22` with `dayOfWeek: false`
    /// (Tornado `Locale.format_day`, whose argument is `dow`). `gmtOffset` counts as in
    /// ``formatDate(_:gmtOffset:relative:shorter:fullFormat:now:)``.
    public func formatDay(_ date: Date, gmtOffset: Int = 0, dayOfWeek: Bool = true) -> String {
        let local = CivilTime(microsecondsSince1970: CivilTime.microseconds(date) - Self.offsetMicroseconds(gmtOffset))
        let month = translate(Self.monthNames[local.month - 1])
        if dayOfWeek {
            return PercentFormat.format(
                translate("%(weekday)s, %(month_name)s %(day)s"),
                [
                    "month_name": .string(month), "weekday": .string(translate(Self.weekdayNames[local.weekday])),
                    "day": .string("\(local.day)"),
                ])
        }
        return PercentFormat.format(
            translate("%(month_name)s %(day)s"), ["month_name": .string(month), "day": .string("\(local.day)")])
    }

    private func ago(_ singular: String, _ plural: String, _ count: Int, key: String) -> String {
        PercentFormat.format(translate(singular, pluralMessage: plural, count: count), [key: .int(count)])
    }

    private func timeOfDay(_ time: CivilTime) -> String {
        let minute = time.minute < 10 ? "0\(time.minute)" : "\(time.minute)"
        let twelveHour = time.hour % 12 == 0 ? 12 : time.hour % 12
        switch code {
        case "en", "en_US": return "\(twelveHour):\(minute) \(time.hour >= 12 ? "pm" : "am")"
        case "zh_CN": return "\(time.hour >= 12 ? "\u{4E0B}\u{5348}" : "\u{4E0A}\u{5348}")\(twelveHour):\(minute)"
        default: return "\(time.hour):\(minute)"
        }
    }

    /// Minutes to microseconds, held within a year either way (real offsets are within
    /// ±14 hours) so that no arithmetic can overflow.
    private static func offsetMicroseconds(_ minutes: Int) -> Int {
        max(-525_600, min(525_600, minutes)) * 60 * CivilTime.microsecondsPerSecond
    }
}
