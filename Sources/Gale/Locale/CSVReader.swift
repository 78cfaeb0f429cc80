/// Python's `csv.reader` in the default `excel` dialect (`,` between fields, `"` quotes, `""`
/// for a quote inside quotes, `strict=False`), reading a file opened in text mode, which is how
/// Tornado reads translation CSVs.
///
/// It works on UTF-8 bytes: every byte the state machine looks at is ASCII, and UTF-8 never uses
/// ASCII bytes inside a multi-byte character, so the fields come out exactly as Python's do.
/// Text mode matters too: `\r\n` and a lone `\r` become `\n` before the reader sees them (a
/// quoted `"a\r\nb"` reads as `a\nb`). Non-strict parsing never fails on quoting; the one error
/// left is a field over the module's 131,072-character limit, where Python raises out of the
/// whole load and this reader reports the row and carries on with the next line.
struct CSVReader {
    /// One record and the line it starts on.
    struct Row: Equatable {
        var line: Int
        var fields: [[UInt8]]
        /// Set when the row was abandoned; `fields` is then empty.
        var problem: String?
    }

    /// `csv.field_size_limit()`'s default, in characters.
    static let fieldLimit = 131_072

    private enum State {
        case startRecord, startField, inField, inQuotedField, quoteInQuotedField, eatNewline
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// All records of `text` (UTF-8 without a BOM). Empty lines give rows with no fields, as
    /// Python's reader gives `[]`.
    static func rows(_ text: [UInt8]) -> [Row] {
        var reader = CSVReader()
        let lines = universalLines(text)
        var rows: [Row] = []
        for (offset, line) in lines.enumerated() {
            if reader.state == .startRecord { reader.begin(line: offset + 1) }
            if let problem = reader.consume(line) {
                rows.append(Row(line: reader.rowLine, fields: [], problem: problem))
                reader.state = .startRecord
                continue
            }
            if reader.state == .startRecord { rows.append(Row(line: reader.rowLine, fields: reader.fields)) }
        }
        // A quoted field still open at the end of the file ends there (strict=False).
        if reader.state != .startRecord, !reader.field.isEmpty || reader.state == .inQuotedField {
            reader.saveField()
            rows.append(Row(line: reader.rowLine, fields: reader.fields))
        }
        return rows
    }

    /// Text mode's universal newlines: lines ending in `\n`, with `\r\n` and `\r` turned into
    /// `\n`.
    static func universalLines(_ text: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            index += 1
            if byte == carriageReturn || byte == newline {
                if byte == carriageReturn, index < text.count, text[index] == newline { index += 1 }
                line.append(newline)
                lines.append(line)
                line = []
            } else {
                line.append(byte)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private var state = State.startRecord
    private var fields: [[UInt8]] = []
    private var field: [UInt8] = []
    private var fieldCharacters = 0
    private var rowLine = 0

    private mutating func begin(line: Int) {
        fields = []
        field = []
        fieldCharacters = 0
        rowLine = line
    }

    private mutating func saveField() {
        fields.append(field)
        field = []
        fieldCharacters = 0
    }

    /// Adds a byte to the field, counting characters (UTF-8 lead bytes) against the limit.
    private mutating func add(_ byte: UInt8) -> String? {
        if byte & 0xC0 != 0x80 {
            guard fieldCharacters < Self.fieldLimit else {
                return "field larger than field limit (\(Self.fieldLimit))"
            }
            fieldCharacters += 1
        }
        field.append(byte)
        return nil
    }

    /// Feeds one line and then the end-of-line marker; returns a problem if the row failed.
    private mutating func consume(_ line: [UInt8]) -> String? {
        for byte in line {
            if let problem = process(byte) { return problem }
        }
        return process(nil)
    }

    /// One step of `_csv.c`'s `parse_process_char`; `nil` is its `EOL`.
    private mutating func process(_ byte: UInt8?) -> String? {
        let isLineEnd = byte == nil || byte == Self.newline || byte == Self.carriageReturn
        switch state {
        case .startRecord:
            if byte == nil { return nil }
            if isLineEnd {
                state = .eatNewline
                return nil
            }
            state = .startField
            return process(byte)
        case .startField:
            if isLineEnd {
                saveField()
                state = byte == nil ? .startRecord : .eatNewline
            } else if byte == Self.quote {
                state = .inQuotedField
            } else if byte == Self.comma {
                saveField()
            } else if let byte {
                state = .inField
                return add(byte)
            }
        case .inField:
            if isLineEnd {
                saveField()
                state = byte == nil ? .startRecord : .eatNewline
            } else if byte == Self.comma {
                saveField()
                state = .startField
            } else if let byte {
                return add(byte)
            }
        case .inQuotedField:
            if byte == Self.quote {
                state = .quoteInQuotedField
            } else if let byte {
                return add(byte)
            }
        case .quoteInQuotedField:
            if byte == Self.quote {
                state = .inQuotedField
                return add(Self.quote)
            } else if byte == Self.comma {
                saveField()
                state = .startField
            } else if isLineEnd {
                saveField()
                state = byte == nil ? .startRecord : .eatNewline
            } else if let byte {
                state = .inField
                return add(byte)
            }
        case .eatNewline:
            if byte == nil { state = .startRecord }
        // Universal newlines leave nothing after `\n` on a line, so the reader's "new-line
        // character seen in unquoted field" error cannot happen.
        }
        return nil
    }
}
