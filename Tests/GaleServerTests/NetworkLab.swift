import Foundation

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
        guard (try? ip(["netns", "add", probe])) != nil else { return false }
        _ = try? ip(["netns", "delete", probe])
        return true
    }()

    private let prefix: String
    /// Each host's name and address.
    let addresses: [String: String]

    /// Makes the LAN and one namespace per host in `hosts`, by name and last address byte.
    init(hosts: [(name: String, number: Int)]) throws {
        prefix = "gale\(getpid())-\(UUID().uuidString.prefix(4).lowercased())"
        addresses = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, "10.77.0.\($0.number)") })
        let lan = prefix + "-lan"
        try Self.ip(["netns", "add", lan])
        do {
            try Self.ip(["-n", lan, "link", "add", "br0", "type", "bridge"])
            try Self.ip(["-n", lan, "link", "set", "br0", "up"])
            for (index, host) in hosts.enumerated() {
                let namespace = self.namespace(host.name)
                let port = "port\(index)"
                try Self.ip(["netns", "add", namespace])
                try Self.ip([
                    "-n", namespace, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", lan,
                ])
                try Self.ip(["-n", lan, "link", "set", port, "master", "br0"])
                try Self.ip(["-n", lan, "link", "set", port, "up"])
                try Self.ip(["-n", namespace, "addr", "add", "10.77.0.\(host.number)/24", "dev", "eth0"])
                try Self.ip(["-n", namespace, "link", "set", "eth0", "up"])
                try Self.ip(["-n", namespace, "link", "set", "lo", "up"])
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
    func unplug(_ host: String) throws {
        try Self.ip(["-n", namespace(host), "link", "set", "eth0", "down"])
    }

    func plugIn(_ host: String) throws {
        try Self.ip(["-n", namespace(host), "link", "set", "eth0", "up"])
    }

    /// Deletes every namespace of the lab, and with them the links.
    func remove() {
        for host in addresses.keys { _ = try? Self.ip(["netns", "delete", namespace(host)]) }
        _ = try? Self.ip(["netns", "delete", prefix + "-lan"])
    }

    /// Runs `ip arguments`; throws with what it printed when it fails.
    @discardableResult
    static func ip(_ arguments: [String]) throws -> String {
        try runCommand("/usr/sbin/ip", arguments)
    }
}
