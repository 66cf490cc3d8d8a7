import Foundation
import GRDB
import Testing
import TestSupport

/// `bypass-auditor verify` on a database whose chained snapshot correction was edited into an action no version of
/// the tool writes: exit 4, and the row is named (table and id), in text and in JSON; nothing traps.
@Suite struct UndecodableRowCommandTests {
    @Test func verifyNamesACorrectionThatNoLongerDecodes() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        let logs = try folder.write("logs.ndjson", AuditRecordLines.bypass(id: "jdoe-on", identity: "j.doe") + "\n")
        #expect(try CLI.run(["ingest", "--db", db, logs]).status == 0)
        let csv = try folder.write(
            "export.csv",
            """
            "AuditBypassEnabled","Name","Identity","OrganizationId"\r
            "True","svc-archive","svc-archive",""\r

            """)
        let imported = try CLI.run(
            ["snapshot", "import", "--db", db, "--tenant", AuditRecordLines.tenant, "--taken-at", "2026-10-25", csv])
        #expect(imported.status == 0, "\(imported.stderr)")
        let redated = try CLI.run(
            ["snapshot", "redate", "--db", db, "1", "--taken-at", "2026-10-24", "--reason", "the job ran a day early"])
        #expect(redated.status == 0, "\(redated.stderr)")
        #expect(try CLI.run(["verify", "--db", db]).status == 0)

        try OutsideEdit.write(db) { db in try db.execute(sql: "UPDATE snapshot_correction SET action = 'undo' WHERE id = 1") }

        let text = try CLI.run(["verify", "--db", db])
        #expect(text.status == 4, "\(text.stderr)")
        #expect(text.stdout.contains("snapshot_correction 1"), "\(text.stdout)")
        #expect(text.stdout.contains("undo"), "\(text.stdout)")
        let json = try CLI.run(["verify", "--db", db, "--json"])
        #expect(json.status == 4)
        let problems = try json.json()["problems"] as? [[String: Any]] ?? []
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?["table"] as? String == "snapshot_correction")
        #expect(problems.first?["ref"] as? String == "1")
        #expect(problems.first?["kind"] as? String == "row-edited")
    }
}
