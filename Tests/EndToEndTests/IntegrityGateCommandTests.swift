import BypassAuditor
import Foundation
import GRDB
import Testing

/// Issue 12: `report` and `drift` verify the history hash chain before they conclude anything. With a bypass event
/// deleted, today's tools would report fewer findings with exit 0 and no warning.
@Suite("report and drift refuse a broken chain")
struct IntegrityGateCommandTests {
    /// The report test database with the rogue bypass event deleted outside the tool.
    static func tamperedDatabase(in directory: TemporaryDirectory) throws -> String {
        let db = try ReportCommandTests.database(in: directory)
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in try db.execute(sql: "DELETE FROM event WHERE event_id = 'evt-rogue'") }
        try queue.close()
        #expect(try CLI.run(["verify", "--db", db]).status == 4)
        return db
    }

    @Test("report: exit 4 and no folder; with --allow-unverified the verdict sentence opens with the warning in every format")
    func report() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.tamperedDatabase(in: directory)
        let allowlist = try directory.write("allowlist.yaml", ReportCommandTests.register)
        let out = directory.path("Reports")
        let refused = try ReportCommandTests.report(db, allowlist, out: out)
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("history hash chain does not verify"))
        #expect(!FileManager.default.fileExists(atPath: out + "/2026-10"), "no report from unverified evidence")

        let allowed = try ReportCommandTests.report(db, allowlist, out: out, ["--allow-unverified", "--format", "md,html,json"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("UNVERIFIED EVIDENCE"))
        for file in ["report.md", "report.html", "report.json"] {
            let text = try String(contentsOfFile: out + "/2026-10/" + file, encoding: .utf8)
            let warning = try #require(text.range(of: "UNVERIFIED EVIDENCE"), "\(file) does not say so")
            // The first screen: from the start of what is shown (after the HTML head and its style sheet).
            let shown = text.range(of: "<header")?.lowerBound ?? text.startIndex
            // JSON has no screen: there the warning opens `summary.verdict_sentence` (checked by its presence).
            if file != "report.json" {
                #expect(text.distance(from: shown, to: warning.lowerBound) < 3000, "\(file): the warning is not on the first screen")
            }
        }
    }

    @Test("drift: exit 4; with --allow-unverified it runs and warns first")
    func drift() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.tamperedDatabase(in: directory)
        let allowlist = try directory.write("allowlist.yaml", ReportCommandTests.register)
        let arguments = ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-20", "--fail-on", "none"]
        let refused = try CLI.run(arguments)
        #expect(refused.status == 4)
        #expect(refused.stdout.isEmpty, "no findings from unverified evidence")
        let allowed = try CLI.run(arguments + ["--allow-unverified"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        // After the notes naming the files in use, the first warning is the unverified evidence.
        let firstWarning = allowed.stderr.split(separator: "\n").first { $0.hasPrefix("warning:") }
        #expect(firstWarning?.hasPrefix("warning: UNVERIFIED EVIDENCE") == true, "\(allowed.stderr)")
    }
}
