/// HTML escaping. Tornado: `tornado.escape.xhtml_escape`.
public enum HTMLEscape {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is inert inside HTML text and attributes.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { "&<>\"'".utf8.contains($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#x27;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
