#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The calendar fields of a moment on the proleptic Gregorian calendar, computed with integer
/// arithmetic on microseconds since 1970 (no `Calendar`, no ICU), as Python's `datetime` holds
/// them.
struct CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    /// 0 for Monday through 6 for Sunday, like Python's `datetime.weekday()`.
    var weekday: Int

    static let microsecondsPerSecond = 1_000_000
    static let microsecondsPerDay = 86_400 * microsecondsPerSecond

    /// The UTC fields of `microseconds` since 1970.
    init(microsecondsSince1970 microseconds: Int) {
        let days = Self.floorDivide(microseconds, Self.microsecondsPerDay)
        let minuteOfDay = (microseconds - days * Self.microsecondsPerDay) / (60 * Self.microsecondsPerSecond)
        (year, month, day) = HTTPDate.civilDate(fromDays: days)
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
        weekday = ((days % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday
    }

    /// `date` as whole microseconds, rounded the way `datetime.fromtimestamp` rounds
    /// (half to even), and held to years 1...9999, the range of Python's `datetime`, so that
    /// no arithmetic can overflow.
    static func microseconds(_ date: Date) -> Int {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else { return seconds > 0 ? latest : earliest }
        let whole = seconds.rounded(.towardZero)
        guard whole > Double(earliest / microsecondsPerSecond) else { return earliest }
        guard whole < Double(latest / microsecondsPerSecond) else { return latest }
        let fraction = ((seconds - whole) * Double(microsecondsPerSecond)).rounded(.toNearestOrEven)
        return Int(whole) * microsecondsPerSecond + Int(fraction)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    static let earliest = -62_135_596_800 * microsecondsPerSecond
    static let latest = 253_402_300_799 * microsecondsPerSecond

    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
