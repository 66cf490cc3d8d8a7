import Foundation
import GRDB
import Testing
import TestSupport

/// Issue 11: a snapshot imported with the wrong time (or the wrong file) can be removed or re-dated; each
/// correction is logged (who, when, why) and chained, so `verify` still passes afterwards and fails when the log row
/// is deleted; the inventory and drift follow the correction.
@Suite struct SnapshotCorrectionCommandTests {
    static let tenant = AuditRecordLines.tenant

    /// j.doe's logged, unapproved bypass (2026-10-21) and a complete snapshot taken 2026-10-25 that leaves j.doe
    /// out and says svc-archive is bypassed: j.doe is disputed by snapshot 1.
    private func disputedDatabase(_ folder: TemporaryDirectory) throws -> String {
        let logs = try folder.write("logs.ndjson", AuditRecordLines.bypass(id: "jdoe-on", identity: "j.doe") + "\n")
        let db = folder.path("db.sqlite")
        let ingest = try CLI.run(["ingest", "--db", db, logs])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let csv = try folder.write(
            "export.csv",
            """
            "AuditBypassEnabled","Name","Identity","OrganizationId"\r
            "True","svc-archive","svc-archive",""\r

            """)
        let imported = try CLI.run(
            ["snapshot", "import", "--db", db, "--tenant", Self.tenant, "--taken-at", "2026-10-25", "--complete", csv])
        #expect(imported.status == 0, "\(imported.stderr)")
        return db
    }

    private func accounts(_ db: String, asOf: String) throws -> [String: [String: Any]] {
        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", asOf, "--json"])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        var byName: [String: [String: Any]] = [:]
        for account in try inventory.json()["accounts"] as? [[String: Any]] ?? [] {
            if let name = account["account"] as? String { byName[name] = account }
        }
        return byName
    }

    private func findingKinds(_ db: String, _ folder: TemporaryDirectory) throws -> [String] {
        let allowlist = try folder.write("allowlist.yaml", "version: 1\nentries: []\n")
        let drift = try CLI.run(
            ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-01", "--fail-on", "none", "--json"])
        #expect(drift.status == 0, "\(drift.stderr)")
        return (try drift.json()["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    }

    private func verify(_ db: String) throws -> (status: Int32, json: [String: Any]) {
        let result = try CLI.run(["verify", "--db", db, "--json"])
        return (result.status, try result.json())
    }

    private func deleteCorrections(_ db: String) throws {
        try OutsideEdit.write(db) { db in try db.execute(sql: "DELETE FROM snapshot_correction") }
    }

    @Test func removingASnapshotEndsItsDisputeIsLoggedAndChained() throws {
        let folder = try TemporaryDirectory()
        let db = try disputedDatabase(folder)
        let before = try accounts(db, asOf: "2026-11-01")
        #expect(before["j.doe"]?["disputed_by"] as? [Int] == [1])
        #expect(before["svc-archive"] != nil)
        #expect(try findingKinds(db, folder).contains("snapshot-mismatch"))

        // The reason is required: a correction without one is refused.
        let noReason = try CLI.run(["snapshot", "remove", "--db", db, "1"])
        #expect(noReason.status == 64, "\(noReason.stderr)")
        let unknown = try CLI.run(["snapshot", "remove", "--db", db, "7", "--reason", "wrong file"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no snapshot 7"), "\(unknown.stderr)")

        let removed = try CLI.run(
            ["snapshot", "remove", "--db", db, "1", "--reason", "exported from the test tenant", "--by", "auditor@contoso.com",
             "--json"])
        #expect(removed.status == 0, "\(removed.stderr)")
        let correction = try removed.json()
        #expect(correction["action"] as? String == "remove")
        #expect(correction["by"] as? String == "auditor@contoso.com")
        #expect(correction["reason"] as? String == "exported from the test tenant")
        #expect(correction["snapshot_id"] as? Int == 1)
        #expect(correction["taken_at_before"] as? String == "2026-10-25T23:59:59.999Z")

        let after = try accounts(db, asOf: "2026-11-01")
        #expect(after["j.doe"]?["bypass_enabled"] as? Bool == true)
        #expect(after["j.doe"]?["disputed_by"] == nil || (after["j.doe"]?["disputed_by"] as? [Int])?.isEmpty == true)
        #expect(after["svc-archive"] == nil, "the removed snapshot's accounts are gone")
        #expect(!(try findingKinds(db, folder)).contains("snapshot-mismatch"))
        let list = try CLI.run(["snapshot", "list", "--db", db, "--tenant", Self.tenant, "--json"]).json()
        #expect((list["snapshots"] as? [Any])?.isEmpty == true)
        let listText = try CLI.run(["snapshot", "list", "--db", db, "--tenant", Self.tenant])
        #expect(listText.stdout.contains("removed"), "\(listText.stdout)")
        #expect(listText.stdout.contains("exported from the test tenant"), "\(listText.stdout)")

        let verified = try verify(db)
        #expect(verified.status == 0, "\(verified.json)")
        #expect((verified.json["entries_by_kind"] as? [String: Int])?["snapshot-correction"] == 1)
        #expect((verified.json["cross_checked"] as? [String])?.contains("snapshot-correction") == true)

        // Deleting the log row is tampering: verify fails, and drift refuses.
        try deleteCorrections(db)
        let tampered = try verify(db)
        #expect(tampered.status == 4)
        let problems = tampered.json["problems"] as? [[String: Any]] ?? []
        #expect(problems.contains { $0["table"] as? String == "snapshot_correction" && $0["kind"] as? String == "row-deleted" })
        let allowlist = folder.path("allowlist.yaml")
        #expect(try CLI.run(["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-01"]).status == 4)
    }

    @Test func redatingASnapshotMovesItInTheInventoryIsLoggedAndChained() throws {
        let folder = try TemporaryDirectory()
        let db = try disputedDatabase(folder)
        // Taken (wrongly) on 2026-10-25: on 2026-10-23 the snapshot is not known yet.
        #expect(try accounts(db, asOf: "2026-10-23")["svc-archive"] == nil)

        let future = try CLI.run(
            ["snapshot", "redate", "--db", db, "1", "--taken-at", "2999-01-01", "--reason", "typo"])
        #expect(future.status != 0)
        #expect(future.stderr.contains("future"), "\(future.stderr)")

        let redated = try CLI.run(
            ["snapshot", "redate", "--db", db, "1", "--taken-at", "2026-10-20T12:00:00Z", "--reason",
             "the export ran on the 20th; imported late", "--json"])
        #expect(redated.status == 0, "\(redated.stderr)")
        let correction = try redated.json()
        #expect(correction["action"] as? String == "redate")
        #expect(correction["taken_at_before"] as? String == "2026-10-25T23:59:59.999Z")
        #expect(correction["taken_at_after"] as? String == "2026-10-20T12:00:00.000Z")
        #expect((correction["by"] as? String)?.isEmpty == false, "the login name stands in for --by")

        let early = try accounts(db, asOf: "2026-10-23")
        #expect(early["svc-archive"]?["bypass_enabled"] as? Bool == true, "the snapshot now counts from the 20th")
        // Taken before j.doe's bypass (the 21st), the complete snapshot no longer disputes it.
        let late = try accounts(db, asOf: "2026-11-01")
        #expect(late["j.doe"]?["bypass_enabled"] as? Bool == true)
        #expect(late["j.doe"]?["disputed_by"] == nil || (late["j.doe"]?["disputed_by"] as? [Int])?.isEmpty == true)
        #expect(!(try findingKinds(db, folder)).contains("snapshot-mismatch"))

        let list = try CLI.run(["snapshot", "list", "--db", db, "--tenant", Self.tenant, "--json"]).json()
        let snapshot = try #require((list["snapshots"] as? [[String: Any]])?.first)
        #expect(snapshot["taken_at"] as? String == "2026-10-20T12:00:00.000Z")
        #expect(snapshot["taken_at_given"] as? Bool == true)
        let listText = try CLI.run(["snapshot", "list", "--db", db, "--tenant", Self.tenant])
        #expect(listText.stdout.contains("re-dated"), "\(listText.stdout)")

        // A second re-dating chains on the first; verify follows both.
        let again = try CLI.run(
            ["snapshot", "redate", "--db", db, "1", "--taken-at", "2026-10-19", "--reason", "the 19th, per the job log"])
        #expect(again.status == 0, "\(again.stderr)")
        let verified = try verify(db)
        #expect(verified.status == 0, "\(verified.json)")
        #expect((verified.json["entries_by_kind"] as? [String: Int])?["snapshot-correction"] == 2)

        // Re-dating by hand (no correction) is still an edit verify catches.
        try OutsideEdit.write(db) { db in try db.execute(sql: "UPDATE snapshot SET taken_at = '2026-10-01T00:00:00.000Z'") }
        #expect(try verify(db).status == 4)
    }

    @Test func deletingTheRedateLogRowFailsVerify() throws {
        let folder = try TemporaryDirectory()
        let db = try disputedDatabase(folder)
        let redated = try CLI.run(
            ["snapshot", "redate", "--db", db, "1", "--taken-at", "2026-10-20", "--reason", "wrong day"])
        #expect(redated.status == 0, "\(redated.stderr)")
        #expect(redated.stdout.contains("2026-10-20T23:59:59.999Z"), "\(redated.stdout)")
        #expect(try verify(db).status == 0)
        try deleteCorrections(db)
        let tampered = try verify(db)
        #expect(tampered.status == 4)
        let problems = tampered.json["problems"] as? [[String: Any]] ?? []
        #expect(problems.contains { $0["table"] as? String == "snapshot_correction" }, "\(problems)")
    }
}
