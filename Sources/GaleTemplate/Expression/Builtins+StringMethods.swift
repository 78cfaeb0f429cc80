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
}
