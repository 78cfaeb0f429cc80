extension DatetimeTemplateObject.Moment {
    private static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// `strftime(format)` in the C locale, as Python's on Linux: `%Y %m %d %H %M %S %f %y %j %a
    /// %A %b %B %p %I %%`, `%Z` and `%z` empty (the moment has no time zone, as a naive
    /// `datetime`); any other directive is left as it is written.
    func strftime(_ format: String) -> String {
        let civil = CivilTime(microsecondsSince1970: microseconds)
        let wholeSeconds = CivilTime.floorDivide(microseconds, CivilTime.microsecondsPerSecond)
        let second = dateOnly ? 0 : ((wholeSeconds % 60) + 60) % 60
        let fraction = dateOnly ? 0 : microseconds - wholeSeconds * CivilTime.microsecondsPerSecond
        let hour = dateOnly ? 0 : civil.hour
        let minute = dateOnly ? 0 : civil.minute
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var output = ""
        var scalars = format.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else {
                output.unicodeScalars.append(scalar)
                continue
            }
            guard let directive = scalars.next() else {
                output += "%"
                break
            }
            switch directive {
            case "Y": output += padded(civil.year, 4)
            case "y": output += padded(((civil.year % 100) + 100) % 100, 2)
            case "m": output += padded(civil.month, 2)
            case "d": output += padded(civil.day, 2)
            case "H": output += padded(hour, 2)
            case "I": output += padded(hour % 12 == 0 ? 12 : hour % 12, 2)
            case "p": output += hour < 12 ? "AM" : "PM"
            case "M": output += padded(minute, 2)
            case "S": output += padded(second, 2)
            case "f": output += padded(fraction, 6)
            case "j": output += padded(Self.dayOfYear(civil), 3)
            case "a": output += String(Self.weekdays[civil.weekday].prefix(3))
            case "A": output += Self.weekdays[civil.weekday]
            case "b": output += String(Self.months[civil.month - 1].prefix(3))
            case "B": output += Self.months[civil.month - 1]
            case "Z", "z": break
            case "%": output += "%"
            default:
                output += "%"
                output.unicodeScalars.append(directive)
            }
        }
        return output
    }

    /// 1 for January 1st.
    private static func dayOfYear(_ civil: CivilTime) -> Int {
        let leap = civil.year % 4 == 0 && (civil.year % 100 != 0 || civil.year % 400 == 0)
        let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][civil.month - 1]
        return before + civil.day + (leap && civil.month > 2 ? 1 : 0)
    }
}
