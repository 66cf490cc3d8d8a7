import BypassAuditor
import Foundation
import GRDB
import Testing
import TestSupport

/// Issue 12: `report` and `drift` verify the history hash chain before they conclude anything. With a bypass event
/// deleted, today's tools would report fewer findings with exit 0 and no warning.
@Suite("report and drift refuse a broken chain")
struct IntegrityGateCommandTests {
    /// The report test database with the rogue bypass event deleted outside the tool.
    static func tamperedDatabase(in directory: TemporaryDirectory) throws -> String {
        let db = try ReportCommandTests.database(in: directory)
        try OutsideEdit.write(db) { db in try db.execute(sql: "DELETE FROM event WHERE event_id = 'evt-rogue'") }
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

    /// `verify --json`'s `write_guard` object.
    static func writeGuard(_ db: String) throws -> [String: Any] {
        let result = try CLI.run(["verify", "--db", db, "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return try #require(try result.json()["write_guard"] as? [String: Any])
    }

    @Test("a database the previous main wrote is guarded on upgrade, verified in full by the first drift, then trusted")
    func upgradeFromPreviousMain() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("audit.sqlite")
        try FileManager.default.copyItem(
            atPath: RegisterChainTests.fixtures.appendingPathComponent("main-0416a14.sqlite").path, toPath: db)
        let upgraded = try Self.writeGuard(db)
        #expect(upgraded["intact"] as? Bool == true)
        #expect(upgraded["checkpoint"] is NSNull, "history written unguarded is not trusted before a full verification")
        #expect(throws: DatabaseError.self) { try OutsideEdit.plain(db, "DELETE FROM event") }

        let drift = ["drift", "--db", db, "--period", "2026-10", "--allowlist", PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path, "--json"]
        let first = try CLI.run(drift)
        #expect(first.status == 3, "\(first.stderr)")
        let checkpoint = try #require(try Self.writeGuard(db)["checkpoint"] as? [String: Any])
        #expect(checkpoint["verified_through_seq"] as? Int == 106)
        // The second run rests on that verification and concludes the same.
        let second = try CLI.run(drift)
        #expect(second.status == 3 && second.stdout == first.stdout)
        #expect((try Self.writeGuard(db)["checkpoint"] as? [String: Any])?["verified_at"] as? String
            == checkpoint["verified_at"] as? String)
    }
}
