/// The few fields of an X.509 certificate that `ClientCertificate` shows, read from DER.
///
/// Just enough DER (ITU-T X.690) to walk `Certificate → TBSCertificate` (RFC 5280 §4.1):
/// every length is checked against what is left, so malformed bytes give `nil`, never a trap.
struct X509Fields {
    var serialNumber: String
    var issuer: DistinguishedName
    var subject: DistinguishedName

    init?(der: [UInt8]) {
        var reader = DERReader(der[...])
        guard var certificate = reader.read(tag: 0x30)?.reader,
            var tbs = certificate.read(tag: 0x30)?.reader
        else { return nil }
        // version [0] EXPLICIT, present from v2 on.
        if tbs.peekTag == 0xA0 { _ = tbs.read(tag: 0xA0) }
        guard let serial = tbs.read(tag: 0x02)?.bytes,
            tbs.read(tag: 0x30) != nil,  // signature algorithm
            let issuer = tbs.read(tag: 0x30).flatMap({ DistinguishedName($0.reader) }),
            tbs.read(tag: 0x30) != nil,  // validity
            let subject = tbs.read(tag: 0x30).flatMap({ DistinguishedName($0.reader) })
        else { return nil }
        // DER keeps a leading zero byte on a positive serial whose top bit is set.
        let significant = serial.count > 1 && serial.first == 0 ? serial.dropFirst() : serial
        self.serialNumber = Hex.encodeString(Array(significant)).uppercased()
        self.issuer = issuer
        self.subject = subject
    }
}

/// An X.509 `Name`: relative distinguished names in DER order (least specific first), each a
/// set of attribute type and value pairs.
struct DistinguishedName {
    var parts: [[(type: String, value: String)]]

    init?(_ reader: DERReader) {
        var reader = reader
        var parts: [[(type: String, value: String)]] = []
        while !reader.isEmpty {
            guard var set = reader.read(tag: 0x31)?.reader else { return nil }
            var attributes: [(type: String, value: String)] = []
            while !set.isEmpty {
                guard var pair = set.read(tag: 0x30)?.reader, let oid = pair.read(tag: 0x06)?.bytes,
                    let value = pair.readAny()
                else { return nil }
                attributes.append((Self.name(ofOID: oid), Self.text(value.tag, value.bytes)))
            }
            parts.append(attributes)
        }
        self.parts = parts
    }

    /// RFC 4514: the most specific part first, attributes of one part joined by `+`.
    var rfc4514: String {
        parts.reversed().map { part in
            part.map { "\($0.type)=\(Self.escape($0.value))" }.joined(separator: "+")
        }.joined(separator: ",")
    }

    /// The value of the last attribute of `type` (the most specific one).
    func last(ofType type: String) -> String? {
        parts.joined().last { $0.type == type }?.value
    }

    /// RFC 4514 §2.3's short names for the attributes certificates use; others as dotted OIDs.
    private static func name(ofOID oid: ArraySlice<UInt8>) -> String {
        let known: [[UInt8]: String] = [
            [0x55, 0x04, 0x03]: "CN", [0x55, 0x04, 0x06]: "C", [0x55, 0x04, 0x07]: "L",
            [0x55, 0x04, 0x08]: "ST", [0x55, 0x04, 0x09]: "STREET", [0x55, 0x04, 0x0A]: "O",
            [0x55, 0x04, 0x0B]: "OU", [0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19]: "DC",
            [0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01]: "UID",
            [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01]: "emailAddress",
        ]
        if let name = known[Array(oid)] { return name }
        guard let first = oid.first else { return "" }
        var arcs = [Int(first) / 40, Int(first) % 40]
        var value = 0
        for byte in oid.dropFirst() {
            guard value < Int.max >> 8 else { return "" }
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 {
                arcs.append(value)
                value = 0
            }
        }
        return arcs.map(String.init).joined(separator: ".")
    }

    /// An attribute value as text: UTF-8 and the ASCII string types as they are, BMPString
    /// from UTF-16; anything else as `#` and hex, as RFC 4514 §2.4 writes unknown values.
    private static func text(_ tag: UInt8, _ bytes: ArraySlice<UInt8>) -> String {
        switch tag {
        case 0x0C, 0x13, 0x14, 0x16, 0x1A:  // UTF8, Printable, Teletex, IA5, Visible
            return String(decoding: bytes, as: UTF8.self)
        case 0x1E:  // BMPString: UTF-16 big-endian
            let units = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
                UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        default:
            return "#" + Hex.encodeString(Array(bytes))
        }
    }

    /// RFC 4514 §2.4: `,+"\<>;` escaped everywhere, `#` and space first, space last.
    private static func escape(_ value: String) -> String {
        var result = ""
        for (index, character) in value.enumerated() {
            let special = ",+\"\\<>;".contains(character)
            let leading = index == 0 && (character == "#" || character == " ")
            let trailing = index == value.count - 1 && character == " "
            if special || leading || trailing { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

/// Reads DER tag-length-value items from a byte slice, each length checked against what is left.
struct DERReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isEmpty: Bool { bytes.isEmpty }
    var peekTag: UInt8? { bytes.first }

    /// The next item if its tag is `tag`; the reader moves past it. `nil` (and no move) otherwise.
    mutating func read(tag: UInt8) -> (bytes: ArraySlice<UInt8>, reader: DERReader)? {
        guard peekTag == tag, let item = readAny() else { return nil }
        return (item.bytes, DERReader(item.bytes))
    }

    /// The next item, whatever its tag (single-byte tags only, which is all X.509 names use).
    mutating func readAny() -> (tag: UInt8, bytes: ArraySlice<UInt8>)? {
        var rest = bytes
        guard let tag = rest.popFirst(), tag & 0x1F != 0x1F, let first = rest.popFirst() else { return nil }
        var length = Int(first)
        if first & 0x80 != 0 {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, rest.count >= count else { return nil }
            length = rest.prefix(count).reduce(0) { $0 << 8 | Int($1) }
            rest = rest.dropFirst(count)
        }
        guard length <= rest.count else { return nil }
        let value = rest.prefix(length)
        bytes = rest.dropFirst(length)
        return (tag, value)
    }
}
