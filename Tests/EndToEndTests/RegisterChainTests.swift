import Foundation
import GRDB
import Testing

import BypassAuditor

/// Issue 12: the register-change control and its direct-edit findings rest on `allowlist_observation` and
/// `allowlist_change`, which were outside the chain: deleting a change hid a direct edit while `verify` said OK.
@Suite("Register observations and changes are chained, and every table is chained or named as not")
struct RegisterChainTests {
    static let fixtures = PackageRoot.url.appendingPathComponent("Tests/BypassAuditorTests/Fixtures/Upgrade")

    /// A copy of the database main 3714e43 wrote (see the fixture README), migrated by today's binary on first use.
    static func upgradedCopy(in folder: TemporaryDirectory) throws -> String {
        let copy = folder.path("register.sqlite")
        try FileManager.default.copyItem(
            atPath: fixtures.appendingPathComponent("main-3714e43-register.sqlite").path, toPath: copy)
        return copy
    }

    static func verify(_ db: String, _ extra: [String] = []) throws -> (status: Int32, json: [String: Any]) {
        let result = try CLI.run(["verify", "--db", db, "--json"] + extra)
        return (result.status, try result.json())
    }

    @Test("v5 chains the observations and changes an older database holds, after its old head")
    func upgradeChainsExistingRows() throws {
        let folder = try TemporaryDirectory()
        let db = try Self.upgradedCopy(in: folder)
        let then = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixtures.appendingPathComponent("verify-3714e43-register.json")))
                as? [String: Any])
        let oldHead = try #require(then["head"] as? String)
        let (status, now) = try Self.verify(db, ["--expect-head", oldHead])
        #expect(status == 0)
        #expect(now["ok"] as? Bool == true)
        let kinds = try #require(now["entries_by_kind"] as? [String: Int])
        #expect(kinds["allowlist-observation"] == 3)
        #expect(kinds["allowlist-change"] == 4)
        #expect(now["entries_since_expected_head"] as? Int == 7)
        let checked = try #require(now["cross_checked"] as? [String])
        #expect(checked.contains("allowlist-observation") && checked.contains("allowlist-change"))
    }

    @Test("deleting a register change or editing an observation fails verify, naming the row")
    func tamperingIsFound() throws {
        let folder = try TemporaryDirectory()
        let db = try Self.upgradedCopy(in: folder)
        #expect(try Self.verify(db).status == 0)
        try TamperEvidenceCommandTests.tamper(db, "DELETE FROM allowlist_change WHERE id = (SELECT MAX(id) FROM allowlist_change)")
        try TamperEvidenceCommandTests.tamper(db, "UPDATE allowlist_observation SET seen_at = '2026-01-01T00:00:00.000Z' WHERE id = 2")
        let (status, json) = try Self.verify(db)
        #expect(status == 4)
        let problems = json["problems"] as? [[String: Any]] ?? []
        let tables = Set(problems.compactMap { $0["table"] as? String })
        #expect(tables == ["allowlist_change", "allowlist_observation"])
    }

    @Test("a change recorded today is chained as it is written")
    func newChangesAreChained() throws {
        let folder = try TemporaryDirectory()
        let db = try Self.upgradedCopy(in: folder)
        let register = folder.path("allowlist.yaml")
        try FileManager.default.copyItem(
            atPath: PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path, toPath: register)
        let before = try #require(try Self.verify(db).json["entries_by_kind"] as? [String: Int])
        // The bundled register differs from the one last seen: one observation and its entry-level changes.
        let drift = try CLI.run(["drift", "--db", db, "--allowlist", register, "--as-of", "2026-11-29T00:00:00Z"])
        #expect(drift.status != 4, "\(drift.stderr)")
        let (status, json) = try Self.verify(db)
        #expect(status == 0)
        let after = try #require(json["entries_by_kind"] as? [String: Int])
        #expect(after["allowlist-observation", default: 0] == before["allowlist-observation", default: 0] + 1)
        #expect(after["allowlist-change", default: 0] > before["allowlist-change", default: 0])
    }

    /// Each table a migrated database holds, and the `verify` kind that covers it: chained (in `cross_checked`) or
    /// named with a reason in `not_cross_checked`. A new table must be added here, and so to one of the two lists.
    static let coverage: [String: String] = [
        "event": "stored-event", "bypass_change": "bypass-event", "coverage": "coverage", "alert": "alert",
        "alert_triage": "alert-triage", "snapshot": "snapshot-row", "snapshot_row": "snapshot-row",
        "snapshot_correction": "snapshot-correction", "allowlist_version": "allowlist-version",
        "allowlist_version_delta": "allowlist-version", "allowlist_edit": "allowlist-edit",
        "allowlist_observation": "allowlist-observation", "allowlist_change": "allowlist-change",
        "activity_feed_gap": "collection-gap", "ledger": "ledger",
        "input_file": "input-file", "ingest_run": "ingest-run", "detection_run": "detection-run",
        "detection_watermark": "detection-state", "detection_pending": "detection-state",
        "alert_delivery": "alert-delivery", "elasticsearch_source": "collection-state",
        "activity_feed_source": "collection-state", "activity_feed_blob": "collection-state",
        "allowlist_edit_intent": "allowlist-edit-intent", "report_run": "report", "report_finding": "report",
        "report_account": "report", "integrity_checkpoint": "integrity-checkpoint",
        "allowlist_parse": "allowlist-parse",
    ]

    @Test("every table is either cross-checked against the chain or named, with a reason, as not")
    func everyTableIsAccountedFor() throws {
        let folder = try TemporaryDirectory()
        let db = try Self.upgradedCopy(in: folder)
        let (_, json) = try Self.verify(db)
        let queue = try DatabaseQueue(path: db)
        let tables = try queue.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    + "AND name <> 'grdb_migrations'")
        }
        try queue.close()
        let checked = Set(json["cross_checked"] as? [String] ?? []).union(["ledger"])
        let named = Set((json["not_cross_checked"] as? [String: String] ?? [:]).keys)
        for table in tables {
            let kind = Self.coverage[table]
            #expect(kind != nil, "table \(table) is neither chained nor named by verify")
            if let kind { #expect(checked.contains(kind) || named.contains(kind), "\(table) → \(kind)") }
            // A table the chain covers is one `drift` and `report` trust between full verifications.
            if let kind, checked.contains(kind) {
                #expect(WriteGuard.guardedTables.contains(table), "\(table) is chained but has no write guard")
            }
        }
    }
}
