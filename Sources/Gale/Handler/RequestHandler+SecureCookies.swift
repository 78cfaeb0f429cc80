import Logging

extension RequestHandler {
    /// `value` signed under `name` with the cookie secret, in Tornado's format (version 2
    /// unless `version` says 1). Tornado: `create_signed_value`.
    public func createSignedValue(_ name: String, _ value: String, version: Int? = nil) throws -> String {
        SignedValue.create(secret: try signingKeys(), name: name, value: Array(value.utf8), version: version ?? 2)
    }

    /// Sets a cookie whose value is signed, so the client can read but not change it (use
    /// HTTPS and `httpOnly` for anything secret). Tornado: `set_signed_cookie`
    /// (`set_secure_cookie`), expiring in `expiresDays` (30) days.
    public func setSecureCookie(
        _ name: String, _ value: String, expiresDays: Double? = 30, version: Int? = nil,
        _ options: CookieOptions = CookieOptions()
    ) throws {
        var options = options
        if let expiresDays { options.expiresDays = expiresDays }
        try setCookie(name, try createSignedValue(name, value, version: version), options)
    }

    /// The value of signed cookie `name` (or of `value`, when given) if its signature, name and
    /// age (`maxAgeDays`, 31) check out, else `nil`; why not is logged at debug level.
    /// Tornado: `get_signed_cookie` (`get_secure_cookie`).
    public func getSecureCookie(
        _ name: String, value: String? = nil, maxAgeDays: Double = 31, minVersion: Int = 1
    ) throws -> String? {
        guard let bytes = try getSecureCookieBytes(name, value: value, maxAgeDays: maxAgeDays, minVersion: minVersion)
        else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            application.logger.debug("secure cookie \(name) refused: its value is not UTF-8")
            return nil
        }
        return text
    }

    /// The signed cookie's bytes, for values that are not text (Tornado's `get_signed_cookie`
    /// returns bytes).
    public func getSecureCookieBytes(
        _ name: String, value: String? = nil, maxAgeDays: Double = 31, minVersion: Int = 1
    ) throws -> [UInt8]? {
        let keys = try signingKeys()
        guard let raw = value ?? getCookie(name) else { return nil }
        let result = SignedValue.decode(
            secret: keys, name: name, value: raw, maxAgeDays: maxAgeDays, minVersion: minVersion)
        switch result {
        case .success(let bytes):
            return bytes
        case .failure(let rejection):
            application.logger.debug("secure cookie \(name) refused: \(rejection)")
            return nil
        }
    }

    /// The key version signed cookie `name` (or `value`, when given) was made with: the
    /// version of `cookieSecretVersions` it names, 0 for one made with a single `cookieSecret`,
    /// `nil` when there is no such cookie or it is not a version 2 signed value. The signature
    /// is not checked (`getSecureCookie` does that): use it to find cookies signed with an old
    /// key and sign them afresh. Tornado: `get_signed_cookie_key_version`
    /// (`get_secure_cookie_key_version`). Throws without the `cookieSecret` setting.
    public func getSecureCookieKeyVersion(_ name: String, value: String? = nil) throws -> Int? {
        try requireSetting("cookie_secret", feature: "secure cookies")
        guard let raw = value ?? getCookie(name) else { return nil }
        return SignedValue.keyVersion(of: raw)
    }

    private func signingKeys() throws -> SigningKeys {
        guard let keys = application.settings.signingKeys else {
            throw ProgrammerError(
                "secure cookies need the cookieSecret setting, or cookieSecretVersions with a keyVersion among them")
        }
        return keys
    }
}
