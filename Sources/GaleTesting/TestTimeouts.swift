#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How long tests wait for something before they call it failed, stretched for slow runs.
/// Tornado: `ASYNC_TEST_TIMEOUT`, read by `tornado.testing.get_async_test_timeout`.
///
/// `GALE_TEST_TIMEOUT_SCALE` (a positive number, default 1) multiplies every bound the test
/// helpers wait for: `make sanitize` sets it, because ThreadSanitizer runs code 5-15 times
/// slower. Only waits are scaled, never a timeout the test sets on a server: a test that
/// expects a 200 ms body timeout to fire still configures 200 ms, and waits longer for it.
public enum TestTimeouts {
    /// The factor from `GALE_TEST_TIMEOUT_SCALE`; 1 when unset, not a number, or not positive.
    public static let scale: Double = parse(getenv("GALE_TEST_TIMEOUT_SCALE").map { String(cString: $0) })

    /// The factor `text` names; 1 when it names none, so a typo never shortens a wait.
    public static func parse(_ text: String?) -> Double {
        guard let text, let value = Double(text), value.isFinite, value > 0 else { return 1 }
        return value
    }
}

extension Duration {
    /// This bound on a wait, multiplied by `TestTimeouts.scale`.
    public var scaledForTests: Duration { scaled(by: TestTimeouts.scale) }

    /// This duration times `factor`; a factor of 1 or less leaves it as it is.
    public func scaled(by factor: Double) -> Duration {
        factor > 1 ? self * factor : self
    }
}
