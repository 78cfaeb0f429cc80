import Foundation
import Gale
import GaleTesting
import Testing

/// `serve --processes N` (Tornado's `bind` + `start(0)`) as real processes: a supervising
/// parent that never serves, workers with task IDs, crashes replaced, SIGTERM, SIGHUP's
/// rolling restart with a client running through it, a crash loop, and an orphaned worker.
/// One server at a time: a dozen debug executables starting at once starve the other suites'
/// timers on a two-core machine.
@Suite(.serialized) struct MultiProcessTests {
    static let secret = ["FRIENDFEED_COOKIE_SECRET": "multi-process-test"]

    /// The parent's children, by task ID (from their environment).
    static func workers(of parent: Int32) -> [Int: Int32] {
        var result: [Int: Int32] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let afterName = stat.range(of: ") ")?.upperBound
            else { continue }
            let fields = stat[afterName...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent,
                let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
            else { continue }
            for variable in environment.split(separator: 0) {
                let text = String(decoding: variable, as: UTF8.self)
                if text.hasPrefix("GALE_TASK_ID="), let task = Int(text.dropFirst("GALE_TASK_ID=".count)) {
                    result[task] = pid
                }
            }
        }
        return result
    }

    /// Waits (up to 30 s) until `condition` holds for the parent's workers.
    static func waitForWorkers(of parent: Int32, _ condition: ([Int: Int32]) -> Bool) async -> [Int: Int32] {
        let deadline = ContinuousClock.now + .seconds(30)
        var current = workers(of: parent)
        while !condition(current) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            current = workers(of: parent)
        }
        return current
    }

    /// One GET on a connection of its own, as a client behind no proxy makes it.
    static func get(_ path: String, port: Int) async throws -> TestResponse {
        let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await connection.send("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return try await connection.readResponse(timeout: .seconds(20))
    }

    struct WhoAmI: Decodable {
        var pid: Int32
        var task_id: Int?
        var remote_ip: String
    }

    @Test func workersShareThePortAndTheParentNeverServes() async throws {
        let server = try ExampleProcess("friendfeed", ["--port", "0", "--processes", "3"], environment: Self.secret)
        let port = try #require(await server.servingPort(), "\(server.printed)")
        let workers = await Self.waitForWorkers(of: server.pid) { $0.count == 3 }
        #expect(workers.keys.sorted() == [0, 1, 2], "\(server.printed)")
        var seen: Set<Int32> = []
        for _ in 0..<30 {
            let answer = try JSONDecoder().decode(
                WhoAmI.self, from: Data(try await Self.get("/whoami", port: port).body))
            #expect(answer.pid != server.pid)
            #expect(workers[answer.task_id ?? -1] == answer.pid)
            #expect(answer.remote_ip == "127.0.0.1")
            seen.insert(answer.pid)
        }
        #expect(!seen.isEmpty)
        #expect(await server.stop() == 0)
        #expect(Self.workers(of: server.pid).isEmpty)
    }

    /// Per-process monitoring: SIGUSR1 to the parent logs every worker's line; `/_status`
    /// describes the worker that answers.
    @Test func eachWorkerIsObservable() async throws {
        let server = try ExampleProcess("friendfeed", ["--port", "0", "--processes", "2"], environment: Self.secret)
        let port = try #require(await server.servingPort(), "\(server.printed)")
        let workers = await Self.waitForWorkers(of: server.pid) { $0.count == 2 }
        for _ in 0..<4 { _ = try await Self.get("/whoami", port: port) }
        let status = try await Self.get("/_status", port: port)
        #expect(status.headers["Content-Type"] == "application/json; charset=UTF-8")
        struct Status: Decodable {
            var task_id: Int?
            var pid: Int32
            var requests_served: Int
            var requests_in_flight: Int
            var rss_bytes: Int
        }
        let answer = try JSONDecoder().decode(Status.self, from: Data(status.body))
        // Its fields in the documented order, written as `write(_:)` writes JSON.
        #expect(
            String(decoding: status.body, as: UTF8.self).firstMatch(
                of: #/^\{"task_id": \d+, "pid": \d+, "uptime_seconds": \d+, "requests_served": \d+, /#) != nil)
        #expect(workers[answer.task_id ?? -1] == answer.pid)
        // This very request at least; a handler counts as finished just after its response is
        // sent, so on a loaded machine the one before may still be counted too.
        #expect(answer.requests_in_flight >= 1)
        #expect(answer.rss_bytes > 1 << 20)
        // Give the workers a moment to count the last requests, then ask the parent.
        kill(server.pid, SIGUSR1)
        #expect(await server.waitForOutput(containing: "workers:"), "\(server.printed)")
        try await Task.sleep(for: .milliseconds(300))
        let table = server.printed.split(separator: "\n").drop { !$0.contains("workers:") }
        for (task, pid) in workers {
            #expect(table.contains { $0.hasPrefix("\(task) ") && $0.contains(" \(pid) ") && $0.contains("MiB") })
        }
        // Served and in flight add up to the requests made (the status request included).
        let counted = table.dropFirst(2).prefix(2).compactMap { line -> Int? in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            return columns.count > 5 ? (Int(columns[4]) ?? 0) + (Int(columns[5]) ?? 0) : nil
        }
        #expect(counted.reduce(0, +) == 5, "\(table)")
        #expect(await server.stop() == 0)
    }

    @Test func aKilledWorkerIsReplacedWithItsTaskID() async throws {
        let server = try ExampleProcess("friendfeed", ["--port", "0", "--processes", "2"], environment: Self.secret)
        let port = try #require(await server.servingPort(), "\(server.printed)")
        let before = await Self.waitForWorkers(of: server.pid) { $0.count == 2 }
        let victim = try #require(before[1])
        kill(victim, SIGKILL)
        let after = await Self.waitForWorkers(of: server.pid) { $0.count == 2 && $0[1] != victim }
        #expect(after[1] != nil && after[1] != victim && after[0] == before[0], "\(server.printed)")
        #expect(try await Self.get("/whoami", port: port).status == 200)
        #expect(await server.waitForOutput(containing: "worker 1 (pid \(victim)) was killed by signal 9"))
        #expect(await server.stop() == 0)
    }

    @Test func sigtermLetsInFlightRequestsFinishAndExitsZero() async throws {
        let server = try ExampleProcess("GaleTestServer", ["--port", "0", "--processes", "2"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        _ = await Self.waitForWorkers(of: server.pid) { $0.count == 2 }
        let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await connection.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(500))  // the request is in its handler
        kill(server.pid, SIGTERM)
        let response = try await connection.readResponse(timeout: .seconds(20))
        #expect(response.status == 200 && response.text == "slept")
        #expect(await server.stop(signal: 0, timeout: .seconds(30)) == 0, "\(server.printed)")
        #expect(Self.workers(of: server.pid).isEmpty)
    }

    /// A worker keeps its task ID but passes none of its parent's variables on to a program it
    /// starts, which would otherwise take itself for a worker.
    @Test func aWorkerPassesNoWorkerVariablesOn() async throws {
        let server = try ExampleProcess("GaleTestServer", ["--port", "0", "--processes", "2"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        _ = await Self.waitForWorkers(of: server.pid) { $0.count == 2 }
        let answer = try await Self.get("/environment", port: port).text
        #expect(answer.hasPrefix("task 0;") || answer.hasPrefix("task 1;"), "\(answer)")
        #expect(answer.hasSuffix("inherited: "), "\(answer)")
        #expect(await server.stop() == 0)
    }

    /// SIGHUP replaces every worker with a freshly started executable while a client keeps
    /// asking: no request fails, and the rebuilt executable (here: another program put in its
    /// place) is what serves afterwards.
    @Test(.timeLimit(.minutes(2))) func aRollingRestartLosesNoRequestAndTakesTheNewExecutable() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-roll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = directory.appendingPathComponent("app")
        try FileManager.default.copyItem(
            at: ExampleProcess.binDirectory.appendingPathComponent("GaleTestServer"), to: app)
        let server = try ExampleProcess(app.path, ["--port", "0", "--processes", "2"], environment: Self.secret)
        let port = try #require(await server.servingPort(), "\(server.printed)")
        let before = await Self.waitForWorkers(of: server.pid) { $0.count == 2 }
        #expect(try await Self.get("/whoami", port: port).status == 404)  // gale-test-server has none

        // "Rebuild": friendfeed takes the executable's place, as `swift build` would write it.
        let staged = directory.appendingPathComponent("app.new")
        try FileManager.default.copyItem(
            at: ExampleProcess.binDirectory.appendingPathComponent("friendfeed"), to: staged)
        #expect(rename(staged.path, app.path) == 0)

        let client = ClientLoop("http://127.0.0.1:\(port)/whoami")
        try await Task.sleep(for: .milliseconds(500))
        kill(server.pid, SIGHUP)
        #expect(
            await server.waitForOutput(containing: "rolling restart done", timeout: .seconds(60)), "\(server.printed)")
        try await Task.sleep(for: .milliseconds(500))
        let statuses = try await client.finish()
        let log = server.printed.split(separator: "\n").filter { !$0.contains("whoami") }
        // Every request got an answer: gale-test-server's 404 for /whoami, then friendfeed's 200.
        #expect(Set(statuses.keys) == ["404", "200"], "\(statuses)\n\(log.joined(separator: "\n"))")
        let after = Self.workers(of: server.pid)
        #expect(after.count == 2 && Set(after.values).isDisjoint(with: before.values))
        let answer = try JSONDecoder().decode(WhoAmI.self, from: Data(try await Self.get("/whoami", port: port).body))
        #expect(answer.task_id != nil)
        #expect(await server.stop() == 0)
    }

    /// A rolling restart onto an executable that cannot start stops at the first worker: the
    /// other keeps serving, and once a working executable is back in place the missing worker
    /// returns by itself; clients queued on its socket meanwhile are answered then.
    @Test(.timeLimit(.minutes(2))) func aRollingRestartOntoABrokenExecutableStopsAndRecovers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gale-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = directory.appendingPathComponent("app")
        let good = ExampleProcess.binDirectory.appendingPathComponent("GaleTestServer")
        try FileManager.default.copyItem(at: good, to: app)
        let server = try ExampleProcess(app.path, ["--port", "0", "--processes", "2"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        let before = await Self.waitForWorkers(of: server.pid) { $0.count == 2 }

        let staged = directory.appendingPathComponent("app.new")
        try "#!/bin/sh\necho 'a broken build' >&2\nexit 3\n".write(to: staged, atomically: true, encoding: .utf8)
        #expect(chmod(staged.path, 0o755) == 0 && rename(staged.path, app.path) == 0)
        kill(server.pid, SIGHUP)
        #expect(
            await server.waitForOutput(
                containing: "rolling restart stopped: the new worker 0 exited with status 3 before serving"),
            "\(server.printed)")
        #expect(Self.workers(of: server.pid)[1] == before[1], "the worker not yet replaced is left alone")

        // Clients meanwhile: a connection the kernel puts in task 0's queue waits there.
        let requests = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await Self.get("/slow?ms=1", port: port).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        try FileManager.default.copyItem(at: good, to: staged)
        #expect(rename(staged.path, app.path) == 0)
        #expect(try await requests.value == Array(repeating: 200, count: 8), "\(server.printed)")
        let after = await Self.waitForWorkers(of: server.pid) { $0.count == 2 && $0[0] != before[0] }
        #expect(after[1] == before[1] && after[0] != nil, "\(after) \(server.printed)")
        #expect(server.printed.contains("starting worker 0 again in"))
        #expect(await server.stop() == 0)
    }

    @Test func aCrashLoopGivesUpWithAClearMessage() async throws {
        let server = try ExampleProcess(
            "GaleTestServer", ["--port", "0", "--processes", "2", "--max-restarts", "5"],
            environment: ["GALE_TEST_CRASH_WORKERS": "1"])
        #expect(await server.stop(signal: 0, timeout: .seconds(60)) == 1)
        #expect(server.printed.contains("too many worker restarts (5): giving up"), "\(server.printed)")
    }

    @Test func workersEndWhenTheirParentIsKilled() async throws {
        let server = try ExampleProcess("friendfeed", ["--port", "0", "--processes", "2"], environment: Self.secret)
        _ = try #require(await server.servingPort(), "\(server.printed)")
        let workers = await Self.waitForWorkers(of: server.pid) { $0.count == 2 }
        #expect(workers.count == 2)
        kill(server.pid, SIGKILL)
        _ = await server.stop(signal: 0)
        let deadline = ContinuousClock.now + .seconds(30)
        while workers.values.contains(where: Self.isRunning) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!workers.values.contains(where: Self.isRunning), "orphaned workers: \(workers)")
    }

    /// Whether `pid` exists and is not a zombie waiting for whoever adopted it to reap it.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.range(of: ") ")?.upperBound
        else { return false }
        return stat[afterName...].first != "Z"
    }

    @Test func debugModeRefusesSeveralProcesses() async throws {
        let server = try ExampleProcess(
            "friendfeed", ["--port", "0", "--processes", "2", "--debug"], environment: Self.secret)
        #expect(await server.stop(signal: 0) != 0)
        #expect(server.printed.contains("debug mode runs one process"), "\(server.printed)")
    }
}
