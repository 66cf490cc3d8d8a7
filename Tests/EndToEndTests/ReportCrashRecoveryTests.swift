import BypassAuditor
import Foundation
import GRDB
import Testing

/// `report` killed (SIGKILL, through the `BYPASS_AUDITOR_CRASH_AT` test hook) at each step of writing a report
/// folder, then run again: the next run cleans up or completes what the killed one left, and a period never loses
/// its last good report.
@Suite("bypass-auditor report after a kill")
struct ReportCrashRecoveryTests {
    typealias Fixture = ReportCommandTests

    /// A database with October's events, a valid register and an empty output folder.
    struct Setup {
        let directory: TemporaryDirectory
        let db: String
        let allowlist: String
        let out: String

        init() throws {
            directory = try TemporaryDirectory()
            db = try Fixture.database(in: directory)
            allowlist = try directory.write("allowlist.yaml", Fixture.register)
            out = directory.path("Reports")
        }

        func report(_ extra: [String], crashAt point: CrashPoint? = nil) throws -> CLI.Result {
            try CLI.run(
                ["report", "--db", db, "--allowlist", allowlist, "--rules", Fixture.rules, "--out", out, "--now", "2026-11-21T06:00:00Z"] + extra,
                environment: point.map { [CrashPoint.variable: $0.rawValue] } ?? [:])
        }

        func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: out).sorted() }

        /// The stored runs, oldest first: "2026-10 r1 published".
        func runs() throws -> [String] {
            try AuditDatabase(path: db).read { db in
                try Row.fetchAll(db, sql: "SELECT period_label, revision, state FROM report_run ORDER BY id").map {
                    "\($0["period_label"] as String) r\($0["revision"] as Int) \($0["state"] as String)"
                }
            }
        }

        func folder(_ name: String) -> String { out + "/" + name }

        /// The reason and state stored for each run of `label`, by revision.
        func reasons(_ label: String) throws -> [String] {
            try AuditDatabase(path: db).read { db in
                try Row.fetchAll(
                    db, sql: "SELECT revision, state, reason, location FROM report_run WHERE period_label = ? ORDER BY revision",
                    arguments: [label]
                ).map { "r\($0["revision"] as Int) \($0["state"] as String) \(($0["reason"] as String?) ?? "-") \(($0["location"] as String?) ?? "-")" }
            }
        }

        /// The period's revision folders at the top of the output folder that verify with `sha256sum -c`.
        func completeRevisions(_ label: String) throws -> [String] {
            try entries().filter { ReportDestination.revision(ofFolder: $0, label: label) != nil }
                .filter { try ReportCommandTests.sha256sumVerifies(folder($0)) }
        }
    }

    static func killed(_ result: CLI.Result) -> Bool { result.status == SIGKILL }

    @Test("a kill while rendering leaves a hidden temporary folder with the report's data; the next run, for any period, removes it and says so")
    func killedWhileRendering() throws {
        let setup = try Setup()
        let crashed = try setup.report(["--period", "2026-10"], crashAt: .reportRendering)
        #expect(Self.killed(crashed), "the hook kills the run mid-render (status \(crashed.status))")
        let leftovers = try setup.entries().filter { $0.hasPrefix(".") }
        #expect(leftovers.count == 1 && leftovers[0].hasPrefix(".2026-10.tmp-"), "\(leftovers)")
        #expect(try !setup.entries().contains("2026-10"), "nothing half-written is published")
        let staged = URL(fileURLWithPath: setup.out).appendingPathComponent(leftovers[0])
        let written = try FileManager.default.contentsOfDirectory(atPath: staged.path)
        #expect(try written.contains { try String(contentsOf: staged.appendingPathComponent($0), encoding: .utf8).contains("rogue-ops") },
            "the leftover holds the report's account names: \(written)")

        let next = try setup.report(["--period", "2026-09"])
        #expect(next.status == 0, "\(next.stderr)")
        for name in leftovers {
            #expect(next.stderr.contains("removed \(setup.out)/\(name)"), "\(next.stderr)")
        }
        #expect(try setup.entries() == ["2026-09"], "the stale temporary folder is gone; only the new report is there")
    }

    @Test("a kill between the folder's rename and the database commit: the next run records the folder, whose files match their manifest, and says so")
    func killedAfterRename() throws {
        let setup = try Setup()
        let crashed = try setup.report(["--period", "2026-10"], crashAt: .reportRenamed)
        #expect(Self.killed(crashed), "status \(crashed.status)")
        #expect(try setup.entries() == ["2026-10"])
        #expect(try ReportCommandTests.sha256sumVerifies(setup.folder("2026-10")))
        #expect(try setup.runs() == ["2026-10 r1 pending"], "the database knows the folder is coming, not that it is published")

        let next = try setup.report(["--period", "2026-10", "--json"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("recorded \(setup.folder("2026-10"))"), "\(next.stderr)")
        #expect(try next.json()["revision"] as? Int == 2)
        #expect(try setup.runs() == ["2026-10 r1 published", "2026-10 r2 published"])
        #expect(try setup.entries() == ["2026-10", "2026-10.r2"])

        let november = try CLI.run([
            "report", "--db", setup.db, "--allowlist", setup.allowlist, "--rules", Fixture.rules, "--out", setup.out,
            "--period", "2026-11", "--now", "2026-12-01T06:00:00Z", "--json",
        ])
        #expect(try november.json()["previous_report_id"] as? String == next.json()["report_id"] as? String)
    }

    @Test("a kill after the run is stored as pending, before the rename: the next run puts the complete temporary folder in place and records it")
    func killedBeforeRename() throws {
        let setup = try Setup()
        #expect(Self.killed(try setup.report(["--period", "2026-10"], crashAt: .reportPending)))
        #expect(try setup.entries().count == 1 && setup.entries()[0].hasPrefix(".2026-10.tmp-"))
        #expect(try setup.runs() == ["2026-10 r1 pending"])

        let next = try setup.report(["--period", "2026-09"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("recorded \(setup.folder("2026-10"))"), "\(next.stderr)")
        #expect(try setup.entries() == ["2026-09", "2026-10"])
        #expect(try ReportCommandTests.sha256sumVerifies(setup.folder("2026-10")))
        #expect(try setup.runs() == ["2026-10 r1 published", "2026-09 r1 published"])
    }

    @Test("a folder left unrecorded whose files no longer match its manifest is moved to <period>.not-recorded/, said so, and its revision number is not reused")
    func unrecordedFolderThatDoesNotVerify() throws {
        let setup = try Setup()
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        let first = try Fixture.contents(of: setup.folder("2026-10"))
        #expect(Self.killed(try setup.report(["--period", "2026-10"], crashAt: .reportRenamed)))
        try Data("edited after the kill\n".utf8).write(to: URL(fileURLWithPath: setup.folder("2026-10.r2/report.md")))

        let next = try setup.report(["--period", "2026-09"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("moved \(setup.folder("2026-10.r2")) to \(setup.folder("2026-10.not-recorded/r2"))"), "\(next.stderr)")
        #expect(next.stderr.contains("report.md does not match"), "\(next.stderr)")
        #expect(try setup.entries() == ["2026-09", "2026-10", "2026-10.not-recorded"])
        #expect(try Fixture.contents(of: setup.folder("2026-10")) == first, "the last good report of the period is untouched")
        #expect(try setup.runs() == ["2026-10 r1 published", "2026-09 r1 published"])

        let rerun = try setup.report(["--period", "2026-10", "--json"])
        #expect(try rerun.json()["revision"] as? Int == 3, "r2 is taken by the folder set aside")
    }

    @Test("--force without --reason is a usage error and writes nothing")
    func forceNeedsReason() throws {
        let setup = try Setup()
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        for reason in [[], ["--reason", "  "]] {
            let forced = try setup.report(["--period", "2026-10", "--force"] + reason)
            #expect(forced.status == 64, "\(forced.status) \(forced.stderr)")
            #expect(forced.stderr.contains("--reason"), "\(forced.stderr)")
        }
        #expect(try setup.entries() == ["2026-10"])
        #expect(try setup.runs() == ["2026-10 r1 published"])
    }

    @Test("--force --reason: the next revision, the replaced one kept byte for byte in <period>.replaced/, the reason recorded")
    func forceKeepsReplacedRevision() throws {
        let setup = try Setup()
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        let first = try Fixture.contents(of: setup.folder("2026-10"))
        let forced = try setup.report(["--period", "2026-10", "--force", "--reason", "register was stale (CHG-77)"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("(revision 2)"), "\(forced.stdout)")
        #expect(forced.stdout.contains("replaces revision 1, withdrawn: kept unchanged in \(setup.folder("2026-10.replaced/r1"))/"), "\(forced.stdout)")
        #expect(forced.stdout.contains("reason: register was stale (CHG-77)"))
        #expect(try setup.entries() == ["2026-10.r2", "2026-10.replaced"])
        #expect(try Fixture.contents(of: setup.folder("2026-10.replaced/r1")) == first)
        #expect(try setup.reasons("2026-10") == [
            "r1 replaced - \(setup.folder("2026-10.replaced/r1"))",
            "r2 published register was stale (CHG-77) \(setup.folder("2026-10.r2"))",
        ])
    }

    @Test("a kill in --force right after the new folder is in place: both revisions are complete on disk; the next run finishes the swap")
    func forceKilledAfterRename() throws {
        let setup = try Setup()
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        let first = try Fixture.contents(of: setup.folder("2026-10"))
        let crashed = try setup.report(["--period", "2026-10", "--force", "--reason", "rerun after fix"], crashAt: .reportRenamed)
        #expect(Self.killed(crashed), "status \(crashed.status)")
        #expect(try setup.completeRevisions("2026-10") == ["2026-10", "2026-10.r2"], "never a period without a complete report")

        let next = try setup.report(["--period", "2026-09"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("recorded \(setup.folder("2026-10.r2"))"), "\(next.stderr)")
        #expect(next.stderr.contains("kept in \(setup.folder("2026-10.replaced/r1"))"), "\(next.stderr)")
        #expect(try setup.entries() == ["2026-09", "2026-10.r2", "2026-10.replaced"])
        #expect(try Fixture.contents(of: setup.folder("2026-10.replaced/r1")) == first)
        #expect(try setup.reasons("2026-10") == [
            "r1 replaced - \(setup.folder("2026-10.replaced/r1"))",
            "r2 published rerun after fix \(setup.folder("2026-10.r2"))",
        ])
    }

    @Test("a kill in --force after the replaced folder is moved aside: the new revision is complete in place; the next run records both")
    func forceKilledAfterMoveAside() throws {
        let setup = try Setup()
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        let second = try Fixture.contents(of: setup.folder("2026-10.r2"))
        let crashed = try setup.report(["--period", "2026-10", "--force", "--reason", "rerun after fix"], crashAt: .reportMovedAside)
        #expect(Self.killed(crashed), "status \(crashed.status)")
        #expect(try setup.completeRevisions("2026-10") == ["2026-10", "2026-10.r3"])
        #expect(try Fixture.contents(of: setup.folder("2026-10.replaced/r2")) == second)

        let next = try setup.report(["--period", "2026-10", "--json"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try next.json()["revision"] as? Int == 4)
        #expect(try setup.reasons("2026-10") == [
            "r1 published - \(setup.folder("2026-10"))",
            "r2 replaced - \(setup.folder("2026-10.replaced/r2"))",
            "r3 published rerun after fix \(setup.folder("2026-10.r3"))",
            "r4 published - \(setup.folder("2026-10.r4"))",
        ])
    }
}
