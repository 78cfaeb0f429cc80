@testable import Gale

/// XSRF tokens (Tornado's `_decode_xsrf_token`): the input is a `_xsrf` cookie or form field.
/// A decoded token written again must decode to the same secret bytes.
enum XSRFFuzz {
    static func run(_ input: FuzzInput) {
        guard let token = XSRFToken.decode(input.text, now: 1_700_000_000) else { return }
        let written = token.encoded(version: 2, mask: [1, 2, 3, 4])
        guard let again = XSRFToken.decode(written, now: 1_700_000_000), again.token == token.token else {
            fatalError("an XSRF token did not survive a round trip: \(written)")
        }
    }
}
