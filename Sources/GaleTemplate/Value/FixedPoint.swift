/// `%.Nf` without `printf`: a non-negative double rounded to `N` decimals exactly (the exact
/// binary value, ties to even), which is what C's `printf` and Python's `%` print.
///
/// The scaled value `value × 10^N` is held exactly as the sum of two doubles (the product and
/// its rounding error, from a fused multiply-add), so the rounding to an integer sees the exact
/// product. It takes numbers whose scaled value is below 2^52 and up to 17 decimals; the
/// caller falls back to `printf` otherwise.
enum FixedPoint {
    /// Appends the digits of `value` (finite, not negative) with `precision` decimals; `false`
    /// (and nothing written) when it is out of range.
    static func append<Output: ByteOutput>(
        _ value: Double, precision: Int, alternate: Bool, to output: inout Output
    ) -> Bool {
        guard precision <= 17 else { return false }
        var scale = 1.0
        var divisor: UInt64 = 1
        for _ in 0..<precision {
            scale *= 10  // exact up to 10^22
            divisor *= 10
        }
        let high = value * scale
        guard high < 0x1p52 else { return false }
        let low = (-high).addingProduct(value, scale)  // value × scale − high, exactly
        var rounded = high.rounded(.toNearestOrEven)
        // `high − rounded` is exact (Sterbenz). Below a quarter, `low` (at most a quarter: half
        // an ulp of a number under 2^52) cannot carry the sum past a half. An exact tie (a
        // multiple of one half under 2^52) is a double, so `high` holds it with `low` zero and
        // `rounded(.toNearestOrEven)` has already chosen the even neighbour.
        let difference = high - rounded
        if difference >= 0.25 {
            if low > 0.5 - difference { rounded += 1 }  // 0.5 − difference is exact (Sterbenz)
        } else if difference <= -0.25 {
            if low < -0.5 - difference { rounded -= 1 }  // likewise
        }
        let scaled = UInt(rounded)
        PercentSpec.withDigits(scaled / UInt(divisor), radix: 10, uppercase: false) { output.append($0) }
        if precision > 0 || alternate { output.append(UInt8(ascii: ".")) }
        if precision > 0 {
            PercentSpec.withDigits(scaled % UInt(divisor), radix: 10, uppercase: false) { digits in
                for _ in 0..<max(precision - digits.count, 0) { output.append(UInt8(ascii: "0")) }
                output.append(digits)
            }
        }
        return true
    }
}
