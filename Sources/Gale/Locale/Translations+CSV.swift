extension Translations {
    /// Loads translations from the `LOCALE.csv` files in `directory`, replacing whatever was
    /// loaded before (Tornado `load_translations(directory)`).
    ///
    /// Each file is named for its locale (`es_LA.csv`, `fr.csv`: lowercase letters, optionally
    /// `_` and uppercase letters) and holds rows of two or three columns, read as Python's `csv`
    /// module reads them:
    ///
    /// ```
    /// "Home","Inicio"
    /// "%(name)s liked this","A %(name)s les gustó esto","plural"
    /// "%(name)s liked this","A %(name)s le gustó esto","singular"
    /// ```
    ///
    /// The third column is `plural`, `singular`, or `unknown`/empty/absent for strings without
    /// a count; a plural row's first column is the English *plural* string. Cells are trimmed;
    /// a later row for the same string wins. Files are UTF-8 with or without a BOM, or UTF-16
    /// with a BOM. Other files in the directory are ignored.
    ///
    /// Skipped, each with an entry in ``issues``: a `.csv` file with another name (Tornado logs
    /// it too), a row with one column or an unknown plural indicator (Tornado skips the first
    /// silently and logs the second), a file that cannot be read, and a row that is not valid
    /// UTF-8 or has a field over 131,072 characters (these two make Tornado's whole load raise).
    ///
    /// - Throws: ``TranslationError/Kind/directoryNotFound`` when `directory` is not a
    ///   directory (Tornado's `os.listdir` raises too); nothing is changed then.
    public mutating func loadCSV(directory: String) throws(TranslationError) {
        let names = try TranslationFiles.names(in: directory)
        var catalogs: [String: TranslationCatalog] = [:]
        var issues: [TranslationError] = []
        for name in names where name.hasSuffix(".csv") {
            let path = TranslationFiles.join(directory, name)
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, Self.isCSVLocaleCode(parts[0]) else {
                issues.append(
                    TranslationError(
                        .unrecognizedFileName, path: path,
                        reason: "expected LOCALE.csv with a code like es or es_LA, got \(name)"))
                continue
            }
            do {
                let text = try TranslationFiles.csvText(try TranslationFiles.read(path), path: path)
                catalogs[String(parts[0])] = .csv(Self.csvCatalog(text, path: path, issues: &issues))
            } catch {
                issues.append(error)
            }
        }
        self.catalogs = catalogs
        self.issues = issues
    }

    /// Tornado's `re.match("[a-z]+(_[A-Z]+)?$", locale)`.
    static func isCSVLocaleCode(_ code: Substring) -> Bool {
        let pieces = code.split(separator: "_", omittingEmptySubsequences: false)
        func all(_ piece: Substring, in range: ClosedRange<Character>) -> Bool {
            !piece.isEmpty && piece.allSatisfy { range.contains($0) && $0.isASCII }
        }
        return (pieces.count == 1 || pieces.count == 2) && all(pieces[0], in: "a"..."z")
            && (pieces.count == 1 || all(pieces[1], in: "A"..."Z"))
    }

    /// The catalog of one file's text (UTF-8 bytes, BOM removed).
    static func csvCatalog(_ text: [UInt8], path: String, issues: inout [TranslationError]) -> CSVCatalog {
        var catalog = CSVCatalog()
        for row in CSVReader.rows(text) {
            func skip(_ reason: String) {
                issues.append(TranslationError(.invalidRow, path: path, line: row.line, reason: reason))
            }
            if let problem = row.problem {
                skip(problem)
                continue
            }
            if row.fields.isEmpty { continue }  // an empty line
            guard row.fields.count >= 2 else {
                skip("a row needs at least two columns, the message and its translation")
                continue
            }
            var cells: [String] = []
            for field in row.fields.prefix(3) {
                guard let cell = String(validating: field, as: UTF8.self) else { break }
                cells.append(PythonText.strip(cell))
            }
            guard cells.count == min(row.fields.count, 3) else {
                issues.append(
                    TranslationError(.invalidEncoding, path: path, line: row.line, reason: "the row is not valid UTF-8")
                )
                continue
            }
            let indicator = cells.count > 2 && !cells[2].isEmpty ? cells[2] : "unknown"
            switch indicator {
            case "unknown": catalog.unknown[cells[0]] = cells[1]
            case "singular": catalog.singular[cells[0]] = cells[1]
            case "plural": catalog.plural[cells[0]] = cells[1]
            default: skip("unrecognized plural indicator \"\(indicator)\" (use plural, singular or unknown)")
            }
        }
        return catalog
    }
}
