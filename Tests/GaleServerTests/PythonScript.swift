import Foundation
import GaleTesting

/// Runs one of `Tests/Scripts` with python3 against `port` (at most 150 s): its exit status, and
/// what it printed. The browser tests (selenium in headless Chromium) and the Python clients.
func runPythonScript(_ script: String, port: Int) async throws -> (Int32, String) {
    let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts")
    var command = ChildProcess("/usr/bin/env", ["python3", scripts.appendingPathComponent(script).path, String(port)])
    command.mergingErrors = true
    command.timeout = .seconds(150)
    let outcome = try await command.run()
    return (outcome.status, outcome.text)
}
