import Foundation
import GaleTesting
import Logging
import Testing

@testable import GaleCommand

/// Tornado's log line and `--log-file-prefix` with its size and time rotation, on FriendFeed.
@Suite struct LogFileTests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func theLineIsTornados() {
        // 2026-12-04 20:08:41 UTC, in this machine's local time as Tornado prints it.
        var clock = time_t(1_796_328_521)
        var parts = tm()
        localtime_r(&clock, &parts)
        let line = GaleLogHandler.prefix(.warning, source: "Gale", line: 12, now: 1_796_328_521)
        #expect(
            line.hasPrefix(
                "[W \(String(format: "%02d%02d%02d", parts.tm_year % 100, parts.tm_mon + 1, parts.tm_mday)) "))
        #expect(line.hasSuffix(String(format: " %02d:%02d:%02d Gale:12]", parts.tm_hour, parts.tm_min, parts.tm_sec)))
    }

    @Test func aLogFileRotatesBySizeKeepingItsBackups() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("friendfeed.log").path
        let port = try DeployConfig.freePort()
        let server = try ExampleProcess(
            "friendfeed",
            [
                "--port", String(port), "--cookie-secret", "logs", "--log-file-prefix", log, "--log-file-max-size",
                "400",
                "--log-file-num-backups", "2",
            ])
        var served = false
        for _ in 0..<100 where !served {
            served = (try? await httpGet(port: port, "/whoami"))?.status == 200
            if !served { try await Task.sleep(for: .milliseconds(50)) }
        }
        for _ in 0..<20 { _ = try await httpGet(port: port, "/nowhere") }
        #expect(await server.stop() == 0)
        #expect(!server.printed.contains("serving on"), "the log goes to the file: \(server.printed)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == ["friendfeed.log", "friendfeed.log.1", "friendfeed.log.2"])
        for file in files {
            let text = try String(contentsOfFile: directory.appendingPathComponent(file).path, encoding: .utf8)
            #expect(text.utf8.count <= 400 + 200, "\(file): \(text.utf8.count) bytes")
            #expect(text.hasPrefix("["), "\(file)")
            #expect(!text.contains("\u{1B}["), "no colours in a file")
        }
        let newest = try String(contentsOfFile: log, encoding: .utf8)
        #expect(newest.contains("] 404 GET /nowhere (127.0.0.1)") || newest.contains("stopping"), "\(newest)")
    }

    @Test func aLogFileRotatesByTime() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("app.log").path
        let output = try ServerOptions.with {
            $0.logFilePrefix = log
            $0.logRotateMode = .time
            $0.logRotateWhen = "S"
            $0.logFileNumBackups = 2
        }.logOutput()
        for second in 0..<4 {
            output.write("line \(second)")
            try await Task.sleep(for: .milliseconds(1100))
        }
        output.write("last")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let stamped = files.filter { $0 != "app.log" }
        #expect(files.contains("app.log") && stamped.count == 2, "\(files)")
        #expect(stamped.allSatisfy { $0.hasPrefix("app.log.") && $0.count == "app.log.".count + 19 }, "\(files)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "last\n")
    }

    @Test func badLoggingOptionsAreRefusedAtStart() async throws {
        for arguments in [
            ["--log-file-prefix", "/nonexistent/directory/app.log"],
            [
                "--log-file-prefix", "/tmp/gale-never.log", "--log-rotate-mode", "time", "--log-rotate-when",
                "fortnight",
            ],
        ] {
            let server = try ExampleProcess("friendfeed", ["--port", "0", "--cookie-secret", "x"] + arguments)
            #expect(await server.stop(signal: 0) != 0)
            #expect(server.printed.contains("cannot open the log file"), "\(arguments): \(server.printed)")
        }
    }
}

extension ServerOptions {
    fileprivate static func with(_ change: (inout ServerOptions) -> Void) -> ServerOptions {
        var options = ServerOptions()
        change(&options)
        return options
    }
}
