#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Directory listing, bounded file reads and text decoding for the translation loaders.
enum TranslationFiles {
    /// No translation file is larger than this; a bigger one is refused unread.
    static let maximumFileSize = 64 << 20

    /// The names in `directory`, sorted so that loading (and the order of issues) does not
    /// depend on the file system.
    static func names(in directory: String) throws(TranslationError) -> [String] {
        guard let status = FileSystem.status(directory), status.isDirectory else {
            throw TranslationError(.directoryNotFound, path: directory, reason: "no such directory")
        }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw TranslationError(.directoryNotFound, path: directory, reason: "cannot list: \(error)")
        }
    }

    static func join(_ directory: String, _ components: String...) -> String {
        var path = directory
        for component in components {
            if !path.isEmpty, !path.hasSuffix("/") { path += "/" }
            path += component
        }
        return path
    }

    /// The bytes of a regular file of at most ``maximumFileSize`` bytes.
    static func read(_ path: String) throws(TranslationError) -> [UInt8] {
        guard let status = FileSystem.status(path) else {
            throw TranslationError(.unreadableFile, path: path, reason: "no such file")
        }
        guard status.isRegularFile else {
            throw TranslationError(.unreadableFile, path: path, reason: "not a regular file")
        }
        guard status.size <= maximumFileSize else {
            throw TranslationError(.unreadableFile, path: path, reason: "larger than \(maximumFileSize) bytes")
        }
        do {
            return try FileSystem.read(path, offset: 0, length: maximumFileSize + 1)
        } catch {
            throw TranslationError(.unreadableFile, path: path, reason: error.description)
        }
    }

    /// A CSV file's text as UTF-8 bytes, decoded the way Tornado picks the encoding: UTF-16
    /// when the file starts with a UTF-16 BOM (either byte order), otherwise UTF-8 with its
    /// optional BOM removed (Python's `utf-8-sig`). UTF-8 is not validated here; the caller
    /// checks each field so that one bad row does not lose the file.
    static func csvText(_ bytes: [UInt8], path: String) throws(TranslationError) -> [UInt8] {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let bigEndian = bytes[0] == 0xFE
            guard bytes.count % 2 == 0 else {
                throw TranslationError(.invalidEncoding, path: path, reason: "UTF-16 text with an odd number of bytes")
            }
            let units = stride(from: 2, to: bytes.count, by: 2).map { index -> UInt16 in
                let (high, low) = bigEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
                return UInt16(high) << 8 | UInt16(low)
            }
            guard let text = String(validating: units, as: UTF16.self) else {
                throw TranslationError(.invalidEncoding, path: path, reason: "invalid UTF-16 (unpaired surrogate)")
            }
            return Array(text.utf8)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Array(bytes.dropFirst(3)) }
        return bytes
    }
}
