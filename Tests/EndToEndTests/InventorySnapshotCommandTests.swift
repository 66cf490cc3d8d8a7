import BypassAuditor
import Foundation
import Testing

@Suite("bypass-auditor snapshot")
struct InventorySnapshotCommandTests {
    @Test("import: tenant, taken-at and completeness are stated; reconciliation is shown; a second import stores nothing")
    func importAndReimport() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let file = InventoryE2E.fixture("windows-powershell-export.csv")
        let imported = try CLI.run([
            "snapshot", "import", "--db", db, "--taken-at", "2026-03-10T12:00:00Z", "--tenant", InventoryE2E.tenant, file,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported snapshot 1"))
        #expect(imported.stdout.contains("5 rows: 2 bypassed, 2 not bypassed, 1 unreadable"))
        #expect(imported.stdout.contains("Taken at: 2026-03-10T12:00:00.000Z (given with --taken-at)"))
        #expect(imported.stdout.contains("(given with --tenant)"))
        // Rows with False do not make an export complete: only --complete does.
        #expect(imported.stdout.contains("Complete: not asserted"), "\(imported.stdout)")
        #expect(imported.stdout.contains("windows-powershell-export.csv:7: broken-state: AuditBypassEnabled is missing"))
        #expect(imported.stdout.contains("unexplained: snapshot 1 shows a bypass on 'svc-ediscovery'") == false)
        // svc-ediscovery was enabled by evt-4 before the snapshot: explained. svc-backup too (evt-3).
        #expect(imported.stdout.contains("no unexplained bypass, no mismatch"))

        let again = try CLI.run(["snapshot", "import", "--db", db, "--json", file])
        #expect(again.status == 0)
        let document = try again.json()
        #expect(document["already_imported"] as? Bool == true)
        #expect((document["snapshot"] as? [String: Any])?["id"] as? Int == 1)
        let human = try CLI.run(["snapshot", "import", "--db", db, file])
        #expect(human.stdout.contains("nothing stored"))

        let list = try CLI.run(["snapshot", "list", "--db", db, "--json"]).json()
        #expect((list["snapshots"] as? [[String: Any]])?.count == 1)
    }

    @Test("import without --taken-at uses and names the import time; a filtered export says so")
    func importTimeAndFiltered() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let result = try CLI.run(["snapshot", "import", "--db", db, "--json", InventoryE2E.fixture("powershell7-filtered.csv")])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try result.json()
        let snapshot = try #require(document["snapshot"] as? [String: Any])
        #expect(snapshot["taken_at_given"] as? Bool == false)
        #expect(document["possibly_filtered"] as? Bool == true)
        #expect(document["tenant_source"] as? String == "rows")
        let discrepancies = try #require(document["discrepancies"] as? [[String: Any]])
        #expect(discrepancies.compactMap { $0["kind"] as? String } == ["unexplained"])
        let inventory = try CLI.run(["inventory", "--db", db, "--json"]).json()
        let names = (inventory["accounts"] as? [[String: Any]])?.compactMap { $0["account"] as? String }
        #expect(names == ["svc \"quoted\" ops", "svc-backup", "svc-ediscovery"])
    }

    @Test("skipped rows: exit 2 and file:line:column on stderr; a file that is not an export: exit 1")
    func badFiles() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let result = try CLI.run(["snapshot", "import", "--db", db, InventoryE2E.fixture("malformed.csv")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("malformed.csv:3:14: unexpected character after a closing quote"))
        #expect(result.stderr.contains("malformed.csv:4: row has 3 fields, the header has 4"))
        #expect(result.stdout.contains("Imported snapshot 1"))
        // A row that could not be read might be any account: absence from this file proves nothing.
        #expect(result.stdout.contains("Complete: no, 4 rows could not be read"))

        let other = try directory.write("mailboxes.csv", "Name,Alias\r\nalice,alice\r\n")
        let refused = try CLI.run(["snapshot", "import", "--db", db, other])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("mailboxes.csv:1: no AuditBypassEnabled column"))

        let future = try CLI.run([
            "snapshot", "import", "--db", db, "--taken-at", "2999-01-01", InventoryE2E.fixture("rest-array.json"),
        ])
        #expect(future.status == 1 && future.stderr.contains("is in the future"))
    }
}
