import BypassAuditor
import Foundation
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
}
