import BypassAuditor
import Foundation
import Testing

/// `bypass-auditor report list`: each period's revisions, with dates, states, reasons and manifest digests.
@Suite("bypass-auditor report list")
struct ReportListCommandTests {
    typealias Setup = ReportCrashRecoveryTests.Setup

    func list(_ setup: Setup, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["report", "list", "--db", setup.db] + extra)
    }

    @Test("each period's revisions: state, date, folder, reason, and the SHA-256 of each folder's SHA256SUMS")
    func listsRevisions() throws {
        let setup = try Setup()
        #expect(try setup.report(["--period", "2026-09"]).status == 0)
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        #expect(try setup.report(["--period", "2026-10", "--reason", "late logs arrived"]).status == 0)
        let forced = try setup.report(["--period", "2026-10", "--force", "--reason", "register was stale", "--json"])
        #expect(forced.status == 0, "\(forced.stderr)")

        let result = try list(setup, ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let periods = try #require(try result.json()["periods"] as? [[String: Any]])
        #expect(periods.map { $0["period"] as? String } == ["2026-09", "2026-10"])
        #expect(periods[1]["tenant"] as? String == ReportCommandTests.tenant)
        #expect(periods[1]["current_revision"] as? Int == 3)
        let revisions = try #require(periods[1]["revisions"] as? [[String: Any]])
        #expect(revisions.map { $0["revision"] as? Int } == [1, 2, 3])
        #expect(revisions.map { $0["state"] as? String } == ["published", "replaced", "published"])
        #expect(revisions.map { $0["reason"] as? String } == [nil, "late logs arrived", "register was stale"])
        #expect(revisions[2]["replaces_revision"] as? Int == 2)
        #expect(revisions[1]["replaced_by"] as? String == (try forced.json()["report_id"] as? String))
        #expect(revisions[1]["location"] as? String == setup.folder("2026-10.replaced/r2"))
        #expect(revisions[2]["generated_at"] as? String == "2026-11-21T06:00:00.000Z")
        #expect(revisions[2]["made_by"] as? String != nil)
        for (revision, folder) in zip(revisions, ["2026-10", "2026-10.replaced/r2", "2026-10.r3"]) {
            let digest = try SHA256Digest.hex(ofFile: setup.folder(folder + "/SHA256SUMS"))
            #expect(revision["manifest_sha256"] as? String == digest, "\(folder)")
        }
        #expect(try forced.json()["manifest_sha256"] as? String == revisions[2]["manifest_sha256"] as? String)

        let human = try list(setup, ["--period", "2026-10"])
        #expect(human.status == 0)
        #expect(human.stdout.contains("2026-10  (tenant \(ReportCommandTests.tenant); current: revision 3)"), "\(human.stdout)")
        #expect(human.stdout.contains("r2  replaced"), "\(human.stdout)")
        #expect(human.stdout.contains("reason: register was stale"))
        #expect(human.stdout.contains(revisions[1]["manifest_sha256"] as? String ?? "?"))
        #expect(!human.stdout.contains("2026-09"), "--period filters")
    }

    @Test("--verify checks every folder against its recorded digest: exit 4 when one was changed, naming the file")
    func verifiesFolders() throws {
        let setup = try Setup()
        #expect(try setup.report(["--period", "2026-10"]).status == 0)
        #expect(try setup.report(["--period", "2026-10", "--force", "--reason", "fix"]).status == 0)
        let clean = try list(setup, ["--verify", "--json"])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        let statuses = try #require(try clean.json()["periods"] as? [[String: Any]]).flatMap { ($0["revisions"] as? [[String: Any]]) ?? [] }
            .map { ($0["check"] as? [String: Any])?["status"] as? String }
        #expect(statuses == ["verified", "verified"])

        try Data("<p>edited</p>".utf8).write(to: URL(fileURLWithPath: setup.folder("2026-10.replaced/r1/report.html")))
        let tampered = try list(setup, ["--verify"])
        #expect(tampered.status == 4)
        #expect(tampered.stdout.contains("check: modified: report.html does not match its SHA-256"), "\(tampered.stdout)")
    }

    @Test("an empty database lists nothing, and says how to make a report")
    func empty() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("audit.sqlite")
        _ = try AuditDatabase(path: db)
        let result = try CLI.run(["report", "list", "--db", db])
        #expect(result.status == 0)
        #expect(result.stdout.contains("No report run is stored"))
        #expect(try CLI.run(["report", "list", "--db", db, "--json"]).json()["periods"] as? [Any] != nil)
    }
}
