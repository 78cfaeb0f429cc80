import Foundation
import GaleTesting

/// Separate hosts on one LAN, for tests that need more than loopback: each host is a Linux
/// network namespace with its own address on `10.77.0.0/24`, plugged by a veth pair into a
/// bridge that lives in a namespace of its own. Nothing touches this machine's own network,
/// and the hosts have no route out of the LAN.
final class NetworkLab: Sendable {
    /// Whether namespaces can be made here (root, or `CAP_NET_ADMIN`). Under CI they must be:
    /// the test runs, and fails if they cannot.
    static let isAvailable: Bool = {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        let probe = "gale-probe-\(getpid())"
        guard (try? ipBlocking(["netns", "add", probe])) != nil else { return false }
        _ = try? ipBlocking(["netns", "delete", probe])
        return true
    }()

    private let prefix: String
    /// Each host's name and address.
    let addresses: [String: String]

    /// Makes the LAN and one namespace per host in `hosts`, by name and last address byte.
    init(hosts: [(name: String, number: Int)]) async throws {
        prefix = "gale\(getpid())-\(UUID().uuidString.prefix(4).lowercased())"
        addresses = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, "10.77.0.\($0.number)") })
        let lan = prefix + "-lan"
        try await Self.ip(["netns", "add", lan])
        do {
            try await Self.ip(["-n", lan, "link", "add", "br0", "type", "bridge"])
            try await Self.ip(["-n", lan, "link", "set", "br0", "up"])
            for (index, host) in hosts.enumerated() {
                let namespace = self.namespace(host.name)
                let port = "port\(index)"
                try await Self.ip(["netns", "add", namespace])
                try await Self.ip([
                    "-n", namespace, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", lan,
                ])
                try await Self.ip(["-n", lan, "link", "set", port, "master", "br0"])
                try await Self.ip(["-n", lan, "link", "set", port, "up"])
                try await Self.ip(["-n", namespace, "addr", "add", "10.77.0.\(host.number)/24", "dev", "eth0"])
                try await Self.ip(["-n", namespace, "link", "set", "eth0", "up"])
                try await Self.ip(["-n", namespace, "link", "set", "lo", "up"])
            }
        } catch {
            remove()
            throw error
        }
    }

    /// The namespace that is `host`.
    func namespace(_ host: String) -> String { "\(prefix)-\(host)" }

    /// The address of `host`.
    func address(_ host: String) -> String { addresses[host] ?? "?" }

    /// Runs `executable` (an absolute path, or an example product) on `host`, with the same
    /// process ID as seen from here (`ip netns exec` execs in place).
    func start(on host: String, _ executable: String, _ arguments: [String]) throws -> ExampleProcess {
        let path =
            executable.hasPrefix("/") ? executable : ExampleProcess.binDirectory.appendingPathComponent(executable).path
        return try ExampleProcess("/usr/sbin/ip", ["netns", "exec", namespace(host), path] + arguments)
    }

    /// Unplugs `host` from the LAN, as a machine that crashed or lost its link: packets to it
    /// go unanswered (no refusal, no reset). `plugIn` undoes it.
    func unplug(_ host: String) async throws {
        try await Self.ip(["-n", namespace(host), "link", "set", "eth0", "down"])
    }

    func plugIn(_ host: String) async throws {
        try await Self.ip(["-n", namespace(host), "link", "set", "eth0", "up"])
    }

    /// Deletes every namespace of the lab, and with them the links.
    func remove() {
        for host in addresses.keys { _ = try? Self.ipBlocking(["netns", "delete", namespace(host)]) }
        _ = try? Self.ipBlocking(["netns", "delete", prefix + "-lan"])
    }

    /// Runs `ip arguments`; throws with what it printed when it fails.
    @discardableResult
    static func ip(_ arguments: [String]) async throws -> String {
        try await ChildProcess.check("/usr/sbin/ip", arguments)
    }

    /// `ip(_:)` for where no `await` can be: the clean-up in a `defer`, and `isAvailable`,
    /// which a test's trait reads. Each call is a few milliseconds.
    static func ipBlocking(_ arguments: [String]) throws {
        var command = ChildProcess("/usr/sbin/ip", arguments)
        command.mergingErrors = true
        let outcome = try command.runBlocking()
        guard outcome.status == 0 else {
            throw ChildProcess.Failure(description: "ip \(arguments.joined(separator: " ")): \(outcome.text)")
        }
    }
}
