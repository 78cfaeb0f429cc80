import Crypto
import Foundation
import _CryptoExtras

/// Passwords stored as scrypt hashes (swift-crypto's `KDF.Scrypt`, BoringSSL's), never as
/// the password or a plain digest: `scrypt$N$r$p$salt$hash`, salt and hash in base64, so the
/// cost can be raised later and old hashes still check. Tornado's demo: `bcrypt.hashpw` and
/// `bcrypt.checkpw`, run in the executor because they are slow on purpose; here the handlers
/// already run on the thread pool (`runsOnThreadPool`), or on a FastCGI worker thread.
enum PasswordHash {
    /// The default cost, as log2 of scrypt's rounds: 2^15 rounds of 8-block mixing, 32 MiB and
    /// about 0.1 s a hash on this project's machines (OWASP's floor for scrypt is 2^17 with
    /// 8 blocks; `blog --password-cost 17` takes it).
    static let defaultCost = 15
    static let blockSize = 8
    static let parallelism = 1

    /// A new hash of `password` at `cost` (log2 of the rounds), with a random 16-byte salt.
    static func make(_ password: String, cost: Int = defaultCost) throws -> String {
        let rounds = 1 << cost
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let hash = try derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return
            "scrypt$\(rounds)$\(blockSize)$\(parallelism)$\(salt.base64EncodedString())$\(hash.base64EncodedString())"
    }

    /// Whether `password` is the one `stored` was made from; `false` for a malformed `stored`.
    static func check(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt",
            let rounds = Int(parts[1]), let blockSize = Int(parts[2]), let parallelism = Int(parts[3]),
            let salt = Data(base64Encoded: String(parts[4])), let expected = Data(base64Encoded: String(parts[5])),
            let actual = try? derive(
                password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism,
                length: expected.count)
        else { return false }
        return constantTimeEqual(actual, expected)
    }

    private static func derive(
        _ password: String, salt: Data, rounds: Int, blockSize: Int, parallelism: Int, length: Int = 32
    ) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: length, rounds: rounds, blockSize: blockSize,
            parallelism: parallelism)
        return key.withUnsafeBytes { Data($0) }
    }

    /// Every byte compared whatever the first difference, so the time says nothing of it.
    private static func constantTimeEqual(_ left: Data, _ right: Data) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
