import Foundation
import Testing

/// A register edit killed midway: the next command settles it, so the file never changes without its log entry.
///
/// The crash points come from the test-only `BYPASS_AUDITOR_CRASH_AT` variable (`CrashPoint`): the binary SIGKILLs
/// itself there.
@Suite("Register edits survive a kill")
struct RegisterEditRecoveryTests {
    static let killVariable = "BYPASS_AUDITOR_CRASH_AT"

    static func addArguments(_ db: String) -> [String] {
        ProjectConfigurationTests.addArguments + ["--reason", "new journaling archiver", "--db", db]
    }

    static func show(_ id: String, db: String, in directory: TemporaryDirectory) throws -> [String: Any] {
        let show = try CLI.run(["allowlist", "show", id, "--db", db, "--json"], in: directory.url)
        #expect(show.status == 0, "\(show.stderr)")
        return try show.json()
    }

    @Test("Killed after the file was replaced: the next edit logs it with its author, reason and time")
    func killedAfterTheFileWasReplaced() throws {
        let directory = try AllowlistCommandTests.workspace()
        let db = directory.path("audit.sqlite")
        let killed = try CLI.run(
            Self.addArguments(db), in: directory.url, environment: [Self.killVariable: "register-file-replaced"])
        #expect(killed.signal == SIGKILL, "the binary should have been killed at the crash point: \(killed.stderr)")
        #expect(try AllowlistCommandTests.read(directory).contains("svc-journal@contoso.com"), "the file was replaced")

        let next = try CLI.run(
            ["allowlist", "renew", "AB-0004", "--reviewed-on", "2026-11-20", "--by", "bob", "--db", db], in: directory.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("note: an interrupted register edit was completed: 'added AB-0006"), "\(next.stderr)")
        #expect(next.stdout.contains("logged as edit #2 by bob"), "the recovered edit is #1: \(next.stdout)")

        let detail = try Self.show("AB-0006", db: db, in: directory)
        let edits = try #require(detail["edits"] as? [[String: Any]])
        #expect(edits.count == 1)
        #expect(edits.first?["by"] as? String == "alice")
        #expect(edits.first?["reason"] as? String == "new journaling archiver")
        // A version change is "through the tool" when an edit of its entry has the same time (what reports check).
        let changes = try #require(detail["changes"] as? [[String: Any]])
        #expect(changes.map { $0["kind"] as? String } == ["added"])
        #expect(changes.first?["seen_at"] as? String == edits.first?["at"] as? String)

        let verify = try CLI.run(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("Killed before the file was replaced: the next edit rolls the intent back and logs nothing for it")
    func killedBeforeTheFileWasReplaced() throws {
        let directory = try AllowlistCommandTests.workspace()
        let db = directory.path("audit.sqlite")
        let before = try AllowlistCommandTests.read(directory)
        let killed = try CLI.run(
            Self.addArguments(db), in: directory.url, environment: [Self.killVariable: "register-intent-logged"])
        #expect(killed.signal == SIGKILL, "\(killed.stderr)")
        #expect(try AllowlistCommandTests.read(directory) == before, "the file was not replaced")

        let next = try CLI.run(
            ["allowlist", "renew", "AB-0004", "--reviewed-on", "2026-11-20", "--by", "bob", "--db", db], in: directory.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("note: an interrupted register edit was rolled back: 'added AB-0006"), "\(next.stderr)")
        #expect(next.stdout.contains("logged as edit #1 by bob"), "\(next.stdout)")
        let detail = try Self.show("AB-0004", db: db, in: directory)
        #expect((detail["edits"] as? [[String: Any]])?.count == 1)
        #expect(try CLI.run(["verify", "--db", db]).status == 0)
    }

    @Test("Killed after the file was replaced: a report run completes the edit before it records the register")
    func reportSettlesTheEditFirst() throws {
        let directory = try TemporaryDirectory()
        let db = try ReportCommandTests.database(in: directory)
        let allowlist = try directory.write("allowlist.yaml", ReportCommandTests.register)
        let killed = try CLI.run(
            Self.addArguments(db) + ["--allowlist", allowlist], in: directory.url,
            environment: [Self.killVariable: "register-file-replaced"])
        #expect(killed.signal == SIGKILL, "\(killed.stderr)")

        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let report = try CLI.run([
            "report", "--db", db, "--allowlist", allowlist, "--rules", ReportCommandTests.rules, "--out",
            directory.path("Reports"), "--from", today, "--to", today, "--json",
        ])
        #expect(report.status == 0 || report.status == 3, "\(report.stderr)")
        let folder = try #require(try report.json()["folder"] as? String)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.json")))
                as? [String: Any])
        let register = try #require(json["allowlist_health"] as? [String: Any], "\(json.keys.sorted())")
        let edits = try #require(register["edits"] as? [[String: Any]])
        #expect(edits.map { $0["by"] as? String } == ["alice"])
        let changes = try #require(register["version_changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes.first?["direct"] as? Bool == false, "the edit is in the log: not a direct edit")
    }
}
