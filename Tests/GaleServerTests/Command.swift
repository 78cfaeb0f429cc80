import Foundation

/// Runs `executable` with `arguments` to its end and returns what it printed (standard output
/// and error together); throws with that text when it exits non-zero. For the tests' set-up
/// tools (`ip`, `openssl`).
@discardableResult
func runCommand(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")): \(text)")
    }
    return text
}

/// A set-up command that failed: the command line and what it printed.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}
