import Foundation
import GRDB
import Testing

/// Issue 12: every writing command killed with SIGKILL at several points, then run again, leaves the same database a
/// run never interrupted leaves: `verify` passes, nothing is stored twice or missing, and the reports agree with it.
///
/// Kills come two ways: at wall-clock delays into a run (where a real kill lands: mid-batch, mid-transaction), and at
/// the named steps of `CrashPoint` where a delay would rarely land. Bounded to a couple of minutes.
@Suite("Fault matrix: kill -9 at several points of each writing command, then rerun", .serialized)
struct FaultMatrixTests {
    static let tenant = AuditRecordLines.tenant
    static let allowlist = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path
    static let delays: [TimeInterval] = [0.05, 0.2, 0.5]

    /// 4,000 records over October: one in ten a bypass change on one of 150 accounts, a few audit impairments, the
    /// rest noise the prefilter skips; and a snapshot export of the accounts left on.
    static func workload(in directory: TemporaryDirectory) throws -> (logs: String, snapshot: String) {
        var lines: [String] = []
        for index in 0..<4_000 {
            let time = String(format: "2026-10-%02dT%02d:%02d:00", 1 + index % 30, index % 24, index % 60)
            if index % 10 == 0 {
                let account = "svc-\(index % 150)"
                lines.append(
                    AuditRecordLines.bypass(
                        id: "b-\(index)", identity: account, enabled: (index / 150) % 2 == 0 ? "True" : "False",
                        time: time))
            } else if index % 997 == 0 {
                lines.append(AuditRecordLines.auditIngestionDisabled(id: "imp-\(index)", time: time))
            } else {
                lines.append(AuditRecordLines.noise(id: "n-\(index)", time: time))
            }
        }
        let logs = try directory.write("logs.ndjson", lines.joined(separator: "\n") + "\n")
        var rows = [#""Name","Identity","AuditBypassEnabled""#]
        for account in 0..<150 { rows.append("\"svc-\(account)\",\"svc-\(account)\",\"\(account % 3 == 0 ? "True" : "False")\"") }
        let snapshot = try directory.write("snapshot.csv", rows.joined(separator: "\n") + "\n")
        return (logs, snapshot)
    }

    /// The writing commands, in pipeline order.
    static func commands(db: String, logs: String, snapshot: String, out: String) -> [(name: String, arguments: [String])] {
        [
            ("ingest", ["ingest", "--db", db, logs]),
            ("detect", ["detect", "--db", db, "--now", "2026-11-01"]),
            ("snapshot import", [
                "snapshot", "import", "--db", db, "--tenant", tenant, "--complete", "--taken-at", "2026-10-31T22:00:00Z",
                snapshot,
            ]),
            ("report", [
                "report", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--now", "2026-11-02",
                "--out", out, "--format", "json,csv",
            ]),
        ]
    }

    /// Starts the binary and kills it with SIGKILL after `delay` (when it has not finished, or killed itself at its
    /// armed crash point, by then).
    /// Returns whether the run died of a signal (false: it finished first).
    @discardableResult
    static func runKilled(
        _ arguments: [String], after delay: TimeInterval, environment: [String: String] = [:], directory: URL? = nil
    ) throws -> Bool {
        let process = Process()
        process.executableURL = try CLI.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }

    /// What a database holds that a rerun must neither lose nor double.
    struct Holdings: Equatable, CustomStringConvertible {
        var events: Int
        var bypassChanges: Int
        var alerts: Int
        var snapshots: Int
        var snapshotRows: Int
        var publishedReports: Int
        var description: String {
            "events \(events), changes \(bypassChanges), alerts \(alerts), snapshots \(snapshots)/\(snapshotRows) rows, "
                + "reports \(publishedReports)"
        }
    }

    static func holdings(_ db: String) throws -> Holdings {
        let queue = try DatabaseQueue(path: db)
        defer { try? queue.close() }
        return try queue.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? -1 }
            return Holdings(
                events: try count("SELECT COUNT(*) FROM event"),
                bypassChanges: try count("SELECT COUNT(*) FROM bypass_change"),
                alerts: try count("SELECT COUNT(*) FROM alert"),
                snapshots: try count("SELECT COUNT(*) FROM snapshot"),
                snapshotRows: try count("SELECT COUNT(*) FROM snapshot_row"),
                publishedReports: try count("SELECT COUNT(*) FROM report_run WHERE state = 'published'"))
        }
    }

    /// The findings drift draws from a database, by id: what the analyst sees.
    static func findingIDs(_ db: String) throws -> [String] {
        let drift = try CLI.run(
            ["drift", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--as-of", "2026-11-02", "--json"])
        return ((try? drift.json()["findings"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
    }

    @Test("ingest, detect, snapshot import and report killed at 0.05, 0.2 and 0.5 s and at each report step end as an uninterrupted run")
    func everyWritingCommand() throws {
        let directory = try TemporaryDirectory()
        let (logs, snapshot) = try Self.workload(in: directory)

        let referenceDB = directory.path("reference.sqlite")
        for (name, arguments) in Self.commands(db: referenceDB, logs: logs, snapshot: snapshot, out: directory.path("reference-reports")) {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
        let reference = try Self.holdings(referenceDB)
        #expect(reference.events > 400 && reference.alerts > 400 && reference.snapshots == 1 && reference.publishedReports == 1)
        let referenceFindings = try Self.findingIDs(referenceDB)

        let db = directory.path("killed.sqlite")
        let out = directory.path("reports")
        for (name, arguments) in Self.commands(db: db, logs: logs, snapshot: snapshot, out: out) {
            var killed = 0
            for delay in Self.delays where try Self.runKilled(arguments, after: delay) { killed += 1 }
            #expect(killed > 0, "\(name): no run was still going when killed; the workload is too small")
            if name == "report" {
                for point in ["report-rendering", "report-pending", "report-renamed"] {
                    let died = try Self.runKilled(arguments, after: 30, environment: ["BYPASS_AUDITOR_CRASH_AT": point])
                    #expect(died, "report did not reach \(point)")
                }
            }
            let rerun = try CLI.run(arguments)
            #expect(rerun.status == 0, "\(name) after kills: \(rerun.stderr)")
            let verify = try CLI.run(["verify", "--db", db])
            #expect(verify.status == 0, "after killed \(name) runs: \(verify.stdout)")
        }
        let after = try Self.holdings(db)
        // Reports killed after their folder was in place are completed, so more than one revision may be published;
        // everything else is exactly what the uninterrupted run stored.
        var comparable = after
        comparable.publishedReports = min(after.publishedReports, 1)
        #expect(comparable == reference, "killed: \(after); reference: \(reference)")
        #expect(try Self.findingIDs(db) == referenceFindings)

        // Every published report folder verifies against the manifest the database stored, and no hidden
        // temporary folder is left behind.
        let listed = try CLI.run(["report", "list", "--db", db, "--verify"])
        #expect(listed.status == 0, "\(listed.stdout)\(listed.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") && $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("allowlist add, renew and remove killed at 0.05, 0.2 and 0.5 s and at both register steps: register, edit log and report agree")
    func registerEdits() throws {
        let directory = try AllowlistCommandTests.workspace()
        let db = directory.path("audit.sqlite")
        let register = directory.path("Policies/allowlist.yaml")
        let edits: [(name: String, arguments: [String])] = [
            ("add", ProjectConfigurationTests.addArguments + ["--reason", "new journaling archiver"]),
            ("renew", ["allowlist", "renew", "AB-0004", "--reviewed-on", "2026-11-20", "--by", "bob", "--reason", "reviewed"]),
            ("remove", ["allowlist", "remove", "AB-0002", "--by", "carol", "--reason", "tool retired", "--yes"]),
        ]
        for (name, edit) in edits {
            let arguments = edit + ["--db", db]
            // The named steps first (the edit is not made yet, so each run reaches them; the second run first rolls
            // back the intent the first left), then kills at delays, which land before, during or after the edit.
            for point in ["register-intent-logged", "register-file-replaced"] {
                let died = try Self.runKilled(
                    arguments, after: 30, environment: ["BYPASS_AUDITOR_CRASH_AT": point], directory: directory.url)
                #expect(died, "\(name) did not reach \(point)")
            }
            for delay in Self.delays { try Self.runKilled(arguments, after: delay, directory: directory.url) }
            // A last run settles what the kills left; repeating an add or a remove that is already made is refused.
            _ = try CLI.run(arguments, in: directory.url)
            #expect(try CLI.run(["verify", "--db", db]).status == 0, "after killed \(name) runs")
        }
        let text = try String(contentsOfFile: register, encoding: .utf8)
        #expect(text.contains("svc-journal@contoso.com"))
        #expect(text.components(separatedBy: "svc-journal@contoso.com").count == 2, "added once")
        #expect(!text.contains("id: AB-0002"), "removed")

        // The report sees each change of the file as an edit made through the tool, once each.
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let report = try CLI.run([
            "report", "--db", db, "--allowlist", register, "--out", directory.path("Reports"), "--from", today, "--to",
            today, "--json",
        ])
        #expect(report.status == 0, "\(report.stderr)")
        let folder = try #require(try report.json()["folder"] as? String)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.json")))
                as? [String: Any])
        let health = try #require(json["allowlist_health"] as? [String: Any])
        let logged = try #require(health["edits"] as? [[String: Any]])
        // The add and the remove are logged once each, whatever was killed; each renew run that completed is a
        // renewal someone made, logged (the file changes only on the first).
        let authors = logged.compactMap { $0["by"] as? String }
        #expect(authors.filter { $0 == "alice" }.count == 1 && authors.filter { $0 == "carol" }.count == 1, "\(authors)")
        #expect(authors.contains("bob"), "\(authors)")
        let changes = try #require(health["version_changes"] as? [[String: Any]])
        #expect(changes.count == 3 && changes.allSatisfy { $0["direct"] as? Bool == false }, "\(changes)")
    }
}
