/// The attributes of a cookie being set. Tornado: the keyword arguments of `set_cookie`.
public struct CookieOptions: Sendable {
    /// `Domain`; the request's host when `nil`.
    public var domain: String?
    /// `Path`. Tornado's default is `/`.
    public var path: String?
    /// `Expires`, as seconds since 1970. Tornado: `expires`.
    public var expires: Int?
    /// `Expires` this many days from now (overrides `expires`). Tornado: `expires_days`.
    public var expiresDays: Double?
    /// `Max-Age` in seconds. Tornado: `max_age`.
    public var maxAge: Int?
    /// `HttpOnly`: hidden from scripts.
    public var httpOnly: Bool
    /// `Secure`: sent over HTTPS only.
    public var secure: Bool
    /// `SameSite`: `Strict`, `Lax` or `None`.
    public var sameSite: String?
    /// `Partitioned` (CHIPS).
    public var partitioned: Bool

    /// Creates cookie options; the defaults are Tornado's.
    public init(
        domain: String? = nil,
        path: String? = "/",
        expires: Int? = nil,
        expiresDays: Double? = nil,
        maxAge: Int? = nil,
        httpOnly: Bool = false,
        secure: Bool = false,
        sameSite: String? = nil,
        partitioned: Bool = false
    ) {
        self.domain = domain
        self.path = path
        self.expires = expires
        self.expiresDays = expiresDays
        self.maxAge = maxAge
        self.httpOnly = httpOnly
        self.secure = secure
        self.sameSite = sameSite
        self.partitioned = partitioned
    }

    /// The `Set-Cookie` header value for `name=value` with these attributes, in the order
    /// Python's `http.cookies` writes them. The value is quoted as Python quotes it, so
    /// Tornado reads Gale's cookies and Gale reads Tornado's.
    func setCookieValue(name: String, value: String, now: Int) -> String {
        var parts = ["\(name)=\(Self.quote(value))"]
        if let domain { parts.append("Domain=\(domain)") }
        if let expiresDays {
            // Clamped to 10,000 years either way: a huge or non-finite count must not trap.
            let days = expiresDays.isFinite ? min(max(expiresDays, -3_650_000), 3_650_000) : 3_650_000
            parts.append("expires=\(HTTPDate.format(secondsSince1970: now + Int(days * 86_400)))")
        } else if let expires {
            parts.append("expires=\(HTTPDate.format(secondsSince1970: expires))")
        }
        if httpOnly { parts.append("HttpOnly") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if partitioned { parts.append("Partitioned") }
        if let path { parts.append("Path=\(path)") }
        if let sameSite { parts.append("SameSite=\(sameSite)") }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// Python's `http.cookies._quote`: legal values go as they are; others are put in double
    /// quotes with `"` and `\` backslash-escaped and other Latin-1 characters as `\ooo`.
    static func quote(_ value: String) -> String {
        let legal = "!#$%&'*+-.^_`|~:"
        func isLegal(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || legal.unicodeScalars.contains(scalar))
        }
        if !value.isEmpty && value.unicodeScalars.allSatisfy(isLegal) { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" || scalar == "\\" {
                out += "\\\(scalar)"
            } else if isLegal(scalar) || scalar.value >= 256
                || (0x20..<0x7F).contains(scalar.value) && scalar != "," && scalar != ";"
            {
                out.unicodeScalars.append(scalar)
            } else {
                let octal = String(scalar.value, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out + "\""
    }
}
