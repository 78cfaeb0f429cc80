import Foundation

/// An entry's address from its title, as the demo makes it: compatibility-decomposed (NFKD),
/// runs of anything but letters, digits and `_` as separators, lowercased, ASCII only, words
/// joined by `-`; "entry" when nothing is left. "Crème Brûlée, 2 ways" is
/// "creme-brulee-2-ways".
enum Slug {
    static func make(from title: String) -> String {
        var words: [String] = []
        var word = ""
        for scalar in title.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" {
                if scalar.isASCII { word.unicodeScalars.append(scalar) }  // accents fall away here
            } else if scalar.properties.generalCategory != .nonspacingMark, !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        let slug = words.joined(separator: "-").lowercased()
        return slug.isEmpty ? "entry" : String(slug.prefix(100))
    }
}
