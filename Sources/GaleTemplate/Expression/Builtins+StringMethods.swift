extension Builtins {
    /// Python's `text.count(part)`: non-overlapping occurrences, counted in code points (an
    /// empty `part` is found between every two of them and at both ends).
    static func count(_ part: String, in text: String) -> Int {
        let scalars = Array(text.unicodeScalars)
        let wanted = Array(part.unicodeScalars)
        guard !wanted.isEmpty else { return scalars.count + 1 }
        var found = 0
        var position = 0
        while position + wanted.count <= scalars.count {
            if scalars[position..<position + wanted.count].elementsEqual(wanted) {
                found += 1
                position += wanted.count
            } else {
                position += 1
            }
        }
        return found
    }

    /// Python's `text.capitalize()` (the first code point in title case, the rest in lower
    /// case) or `text.title()` (title case after a code point that is not cased, lower case
    /// after one that is: `"ǆa"` is `"ǅa"`, and a letter after a Hangul syllable starts a word).
    static func pythonCase(_ text: String, capitalize: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var first = true
        var previousCased = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            let startsWord = capitalize ? first : !previousCased
            out += startsWord ? properties.titlecaseMapping : properties.lowercaseMapping
            first = false
            previousCased = properties.isCased
        }
        return out
    }
}
