import Testing

@testable import GaleTemplate

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Python's `%` in templates, against outputs recorded from CPython (RecordedHelperCases).
@Suite struct PercentFormatTests {
    @Test(arguments: RecordedHelperCases.percentCases)
    func formatsAsPython(pattern: String, value: TemplateValue, expected: String) throws {
        #expect(try render("{% raw pattern % value %}", ["pattern": .string(pattern), "value": value]) == expected)
    }

    @Test func formatIsLenientAndNamed() {
        #expect(PercentFormat.format("%(a)s|%(missing)s|%(a)d|%", ["a": "x"]) == "x|%(missing)s|%(a)d|%")
        #expect(
            PercentFormat.format("%(n)+04d|%(n)-4d|%(s).2s|%(n)x", ["n": .int(7), "s": .string("abc")])
                == "+007|7   |ab|7")
        #expect(PercentFormat.format("%(when)s, %(é)s", ["when": "now", "é": "ü"]) == "now, ü")
        let dictionary = TemplateDictionary([("a", "x"), ("n", 3)])
        #expect(PercentFormat.format("%(a)s|%s|%(n)03d|%(b)s", dictionary) == "x|%s|003|%(b)s")
    }

    /// Results past the 256 bytes formatted on the stack are formatted again into an array.
    @Test func longResults() throws {
        let long = String(repeating: "é-x ", count: 100)
        #expect(try PercentFormat.apply("%s|%s", to: [.string(long), .string(long)]) == long + "|" + long)
        #expect(try PercentFormat.apply("%300d", to: 7) == String(repeating: " ", count: 299) + "7")
        #expect(try PercentFormat.apply("%-5s|%.100f", to: ["a", .double(1e300)]) == "a    |" + printf(1e300, 100))
        #expect(PercentFormat.format("%(a)s%(b)s", ["a": .string(long)]) == long + "%(b)s")
        #expect(throws: PercentFormatError.self) { try PercentFormat.apply("%s %s", to: .string(long)) }
    }

    @Test func badPatternsAreErrors() {
        for (source, message) in [
            ("{{ '%q' % 1 }}", "unsupported format character 'q' (0x71)"),
            ("{{ '%é' % 1 }}", "unsupported format character 'é' (0xe9)"),
            ("{{ '%(a' % {'a': 1} }}", "incomplete format key"),
            ("{{ '%5' % 1 }}", "incomplete format"),
            ("{{ '%(b)s' % {'a': 1} }}", "KeyError: 'b'"),
            ("{{ '%s %s' % 1 }}", "not enough arguments for format string"),
            ("{{ 'x' % 1 }}", "not all arguments converted during string formatting"),
            ("{{ '%x' % 1.5 }}", "%x format: an integer is required, not float"),
            ("{{ '%f' % 'a' }}", "%f format: a real number is required, not str"),
            ("{{ '%c' % -1 }}", "%c arg not in range(0x110000)"),
            ("{{ '%c' % 'ab' }}", "%c requires an int or a single character"),
            ("{{ '%(a)s %s' % {'a': 1} }}", "not enough arguments for format string"),
            ("{{ '%(a)s' % 5 }}", "format requires a mapping"),
        ] {
            #expect {
                try render(source)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    /// `%.Nf` is rounded in integer arithmetic; C's printf (which Python's `%` agrees with)
    /// must give the same digits for random values, halfway cases and values near the limits.
    @Test func fixedPointAgreesWithPrintf() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var values: [Double] = [0, 0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1.005, 1e15, 4.5e15, 0x1p52 - 1, 0.05, 1e-300]
        for _ in 0..<20_000 {
            let bits = random()
            switch bits % 4 {
            case 0: values.append(Double(bits >> 11) / Double(1 << 53) * 1_000)  // [0, 1000)
            case 1: values.append(Double(bits % 100_000) / 1_000 + 0.0005)  // near ties at 3 decimals
            case 2: values.append(Double(bits % 1_000_000) / 8)  // exact binary halves and eighths
            default: values.append(Double(bitPattern: bits & 0x7FEF_FFFF_FFFF_FFFF))  // any magnitude
            }
        }
        var mismatches: [String] = []
        for value in values where value.isFinite {
            for precision in [0, 1, 2, 3, 6, 10, 17] {
                var ours: [UInt8] = []
                guard FixedPoint.append(value, precision: precision, alternate: false, to: &ours) else { continue }
                let theirs = printf(value, precision)
                if String(decoding: ours, as: UTF8.self) != theirs, mismatches.count < 5 {
                    mismatches.append("\(value) %.\(precision)f: \(String(decoding: ours, as: UTF8.self)) != \(theirs)")
                }
            }
        }
        #expect(mismatches.isEmpty)
    }

    private func printf(_ value: Double, _ precision: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = withVaList([Int32(precision), value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, "%.*f", arguments) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
