import Foundation
import GaleTesting
import Testing

/// `Docs/deploy/gale.socket` and `gale.service` run with systemd's own socket activator
/// (`systemd-socket-activate`, what systemd does for a socket unit): the socket listens before
/// the app exists, the first client waits while it starts, and Gale serves the socket it was
/// handed (binding the port itself would fail: it is taken).
@Suite struct SocketActivationTests {
    /// The value of `key=` in a unit file.
    static func value(_ key: String, in unit: String) -> String? {
        unit.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test func theUnitsRunUnderSystemdSocketActivation() async throws {
        let activator = "/usr/bin/systemd-socket-activate"
        try #require(
            FileManager.default.isExecutableFile(atPath: activator), "systemd-socket-activate is missing (systemd)")
        let socketUnit = try DeployConfig("gale.socket")
        defer { socketUnit.remove() }
        let serviceUnit = try DeployConfig("gale.service")
        defer { serviceUnit.remove() }
        let listen = try #require(
            Self.value("ListenStream", in: try String(contentsOfFile: socketUnit.path, encoding: .utf8)))
        let service = try String(contentsOfFile: serviceUnit.path, encoding: .utf8)
            .replacingOccurrences(of: ":\(serviceUnit.port)", with: ":\(socketUnit.port)")
            .replacingOccurrences(of: "--port \(serviceUnit.port)", with: "--port \(socketUnit.port)")
        let command = try #require(Self.value("ExecStart", in: service)).split(separator: " ").map(String.init)
        let environment = try #require(Self.value("Environment", in: service))
        // Through a Python parent that stays: the activator closes every descriptor it does not
        // pass on, including the one Foundation's Process watches to learn that a child ended,
        // which makes Process wait for it in a blocking call and hold up every other test.
        let parent = [
            "import signal, subprocess, sys",
            "signal.pthread_sigmask(signal.SIG_SETMASK, [])",
            "child = subprocess.Popen(sys.argv[1:])",
            "signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))",
            "sys.exit(child.wait())",
        ].joined(separator: "\n")
        let server = try ExampleProcess(
            "/usr/bin/python3", ["-c", parent, activator, "-l", listen, "-E", environment] + command)
        try #require(await socketUnit.waitUntilListening(), "\(server.printed)")
        // The first connection makes the activator start the app, which serves it.
        let answer = try await httpGet(port: socketUnit.port, "/whoami", ["X-Real-Ip": "10.9.8.7"])
        #expect(answer.status == 200 && answer.text.contains(#""remote_ip": "10.9.8.7""#), "\(server.printed)")
        #expect(await server.waitForOutput(containing: "serving on"))
        #expect(!server.printed.contains("cannot listen"))
        #expect(await server.stop() == 0, "\(server.printed)")
    }
}
