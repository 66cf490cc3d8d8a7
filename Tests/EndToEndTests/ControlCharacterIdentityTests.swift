import BypassAuditor
import Foundation
import GRDB
import Testing

/// Issue 11: a NUL (or any control character) inside an identity must never cut the name short. Stored and matched
/// as `svc-backup`, `svc-backup\0-attacker` would count as approved; `exo-admin@contoso.com\0.evil` would count as
/// an authorized admin. Both must stay whole and distinct, from the log line to drift and the report.
@Suite struct ControlCharacterIdentityTests {
    static let tenant = AuditRecordLines.tenant
    static let target = "svc-backup\u{0}-attacker"
    static let actor = "exo-admin@contoso.com\u{0}.evil"

    /// The register approves svc-backup and lets exo-admin@contoso.com change bypass associations.
    static let register = DriftCommandTests.register

    /// The NUL as JSON writes it (`\u0000`): a JSON string may not hold a raw control character.
    static func jsonEscaped(_ text: String) -> String { text.replacingOccurrences(of: "\u{0}", with: "\\u0000") }

    /// A Management Activity API record: the target and the actor carry the NUL.
    static var managementRecord: String {
        AuditRecordLines.bypass(id: "nul-target", identity: jsonEscaped(target), actor: jsonEscaped(actor))
    }

    /// The same change as Filebeat's o365 module (ECS) writes it.
    static var ecsDocument: String {
        #"{"@timestamp":"2026-10-21T03:14:07.000Z","event":{"action":"Set-MailboxAuditBypassAssociation","dataset":"o365.audit","id":"nul-ecs","provider":"Exchange","outcome":"success","code":"ExchangeAdmin"},"organization":{"id":"\#(tenant)"},"user":{"id":"\#(jsonEscaped(actor))"},"o365":{"audit":{"ObjectId":"\#(jsonEscaped(target))","ResultStatus":"True","Parameters":{"Identity":"\#(jsonEscaped(target))","AuditBypassEnabled":"True"}}}}"#
    }

    private func run(format: String, line: String) throws {
        let folder = try TemporaryDirectory()
        let logs = try folder.write("logs.ndjson", line + "\n")
        let db = folder.path("db.sqlite")
        let ingest = try CLI.run(["ingest", "--db", db, "--input-format", format, "--json", logs])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(try ingest.json()["events_stored"] as? Int == 1, "\(ingest.stdout)")

        // Stored whole: what follows the NUL is in the database (SQLite's C API would end the text at the NUL, so
        // the column holds the tool's NUL-safe form; the inventory below reads the exact name back).
        let queue = try DatabaseQueue(path: db)
        let stored = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT identity, actor FROM bypass_change")
        }
        try queue.close()
        #expect((stored?["identity"] as String?)?.hasSuffix("-attacker") == true)
        #expect((stored?["actor"] as String?)?.hasSuffix(".evil") == true)

        // The inventory names the whole account, and `inventory show svc-backup` does not find it.
        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01", "--json"])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        let accounts = try inventory.json()["accounts"] as? [[String: Any]] ?? []
        #expect(accounts.count == 1)
        #expect(accounts.first?["account"] as? String == Self.target, "\(inventory.stdout)")
        #expect(accounts.first?["set_by"] as? String == Self.actor)
        let show = try CLI.run(["inventory", "show", "--db", db, "--as-of", "2026-11-01", "svc-backup"])
        #expect(!show.stdout.contains("attacker"), "svc-backup is not the attacker's account: \(show.stdout)")

        // Drift: an unapproved bypass (the entry for svc-backup does not cover it) by an unauthorized actor.
        let allowlist = try folder.write("allowlist.yaml", Self.register)
        let drift = try CLI.run(
            ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-01", "--period", "2026-10", "--fail-on", "none", "--json"])
        #expect(drift.status == 0, "\(drift.stderr)")
        let findings = try drift.json()["findings"] as? [[String: Any]] ?? []
        let unapproved = findings.first { $0["kind"] as? String == "unapproved-bypass" }
        #expect(unapproved?["account"] as? String == Self.target, "\(findings)")
        #expect(unapproved?["entry_id"] == nil || unapproved?["entry_id"] is NSNull)
        #expect(findings.contains { $0["kind"] as? String == "unauthorized-actor" }, "\(findings)")

        // The terminal never receives the raw NUL; it shows a visible marker where it was.
        let text = try CLI.run(["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-01", "--period", "2026-10", "--fail-on", "none"])
        #expect(!text.stdout.unicodeScalars.contains("\u{0}"))
        #expect(text.stdout.contains("attacker"), "\(text.stdout)")
        let list = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01"])
        #expect(!list.stdout.unicodeScalars.contains("\u{0}"))
        #expect(list.stdout.contains("attacker"), "\(list.stdout)")

        // Detection alerts on the whole target; verify holds.
        let detect = try CLI.run(["detect", "--db", db, "--json"])
        #expect(detect.status == 0, "\(detect.stderr)")
        let alerts = try detect.json()["alerts"] as? [[String: Any]] ?? []
        #expect(alerts.contains { $0["target"] as? String == Self.target }, "\(alerts)")
        #expect(try CLI.run(["verify", "--db", db]).status == 0)
    }

    @Test func managementActivityRecordKeepsTheWholeTargetAndActor() throws {
        try run(format: "o365-api", line: Self.managementRecord)
    }

    @Test func ecsDocumentKeepsTheWholeTargetAndActor() throws {
        try run(format: "ecs", line: Self.ecsDocument)
    }

    @Test func otherControlCharactersAreDistinctIdentitiesToo() throws {
        // ESC and DEL: shown as markers, never matched to svc-backup or the admin.
        for (target, actor) in [("svc-backup\u{1B}[0m", "exo-admin@contoso.com\u{7F}")] {
            let folder = try TemporaryDirectory()
            let escapedTarget = target.replacingOccurrences(of: "\u{1B}", with: "\\u001b")
            let logs = try folder.write(
                "logs.ndjson", AuditRecordLines.bypass(id: "esc", identity: escapedTarget, actor: actor) + "\n")
            let db = folder.path("db.sqlite")
            #expect(try CLI.run(["ingest", "--db", db, logs]).status == 0)
            let allowlist = try folder.write("allowlist.yaml", Self.register)
            let drift = try CLI.run(
                ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-01", "--period", "2026-10", "--fail-on", "none", "--json"])
            let findings = try drift.json()["findings"] as? [[String: Any]] ?? []
            #expect(findings.first { $0["kind"] as? String == "unapproved-bypass" }?["account"] as? String == target)
            #expect(findings.contains { $0["kind"] as? String == "unauthorized-actor" }, "\(findings)")
        }
    }
}
