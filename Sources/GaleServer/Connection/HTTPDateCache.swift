import Gale

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `Date` header's value, formatted once a second rather than once a response.
struct HTTPDateCache {
    private var second = 0
    private var value = ""

    /// The current time as an HTTP date (RFC 9110 §5.6.7).
    mutating func now() -> String {
        let now = time(nil)
        if now != second {
            second = now
            value = HTTPDate.format(secondsSince1970: now)
        }
        return value
    }
}
