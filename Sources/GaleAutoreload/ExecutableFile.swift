import Gale

#if canImport(Glibc)
    import Glibc
#endif

/// An executable on disk, as a build writes it: whether it is whole yet.
///
/// A linker writes its output over a while and makes it executable at the end; starting it
/// half-written fails or crashes. An ELF file is whole when its section header table, which
/// linkers write last, lies inside the file; a script when it starts with `#!`. Either way it
/// must be executable and keep the same size and time between two looks.
public struct ExecutableFile: Sendable {
    /// The file's path.
    public let path: String

    /// The executable at `path`.
    public init(path: String) {
        self.path = path
    }

    /// This process's executable (`ServerProcess.executablePath`).
    public static func current() -> ExecutableFile? {
        ServerProcess.executablePath.map(ExecutableFile.init(path:))
    }

    /// Size and modification time, or `nil` if the file is not there.
    private func signature() -> (size: Int, modified: Int, executable: Bool)? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        return (Int(info.st_size), modified, access(path, X_OK) == 0)
    }

    /// Whether the file is complete by its own structure (see the type's documentation).
    public var isWhole: Bool {
        guard let size = signature()?.size, size >= 4 else { return false }
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return false }
        defer { close(file) }
        var header = [UInt8](repeating: 0, count: 64)
        let got = header.withUnsafeMutableBytes { pread(file, $0.baseAddress, 64, 0) }
        if got >= 2, header[0] == UInt8(ascii: "#"), header[1] == UInt8(ascii: "!") { return true }
        // ELF64, little-endian (x86_64, aarch64): e_shoff at 0x28, e_shentsize at 0x3A, e_shnum at 0x3C.
        guard got == 64, header[0] == 0x7F, header[1] == UInt8(ascii: "E"), header[2] == UInt8(ascii: "L"),
            header[3] == UInt8(ascii: "F"), header[4] == 2, header[5] == 1
        else { return false }
        func integer(_ offset: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(header[offset + $1]) << (8 * $1) }
        }
        let tableEnd = integer(0x28, 8) + integer(0x3A, 2) * integer(0x3C, 2)
        return integer(0x28, 8) > 0 && tableEnd <= size
    }

    /// Waits, looking every `interval`, until the file is whole, executable and unchanged
    /// between two looks; `false` if that does not happen within `timeout`.
    public func waitUntilRunnable(timeout: Duration = .seconds(60), interval: Duration = .milliseconds(100)) async
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        var last = signature()
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: interval)
            let now = signature()
            if let now, let previous = last, now == previous, now.executable, isWhole { return true }
            last = now
        }
        return false
    }
}
