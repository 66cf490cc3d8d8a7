import BypassAuditor
import Foundation
import GRDB
import Testing
import TestSupport

@Suite("bypass-auditor verify")
struct InventoryVerifyCommandTests {
    @Test("an untouched database verifies and prints its head; --expect-head accepts it")
    func untouched() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let head = try AuditDatabase(path: db).read { db in try Ledger.head(db) }
        let result = try CLI.run(["verify", "--db", db])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Head:   \(head)"))
        #expect(result.stdout.contains("OK: the history verifies."))
        let json = try CLI.run(["verify", "--db", db, "--json", "--expect-head", head]).json()
        #expect(json["ok"] as? Bool == true)
        #expect(json["head"] as? String == head)
        #expect(json["expected_head_seq"] as? Int == 5)
    }

    @Test("a row deleted or edited outside the tool: exit 4 naming the first one")
    func tampered() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let head = try AuditDatabase(path: db).read { db in try Ledger.head(db) }
        try OutsideEdit.write(db) { db in
            try db.execute(sql: "UPDATE event SET document = replace(document, 'mallory', 'someone') WHERE event_id = 'evt-3'")
            try db.execute(sql: "DELETE FROM event WHERE event_id = 'evt-5'")
        }
        let result = try CLI.run(["verify", "--db", db])
        #expect(result.status == 4)
        // Each damaged event is named; a deleted event is missed by its ledger entry and by its stored bypass change.
        #expect(result.stdout.contains("First: ledger entry 3, event evt-3: the row differs from its newest chain entry (document)"))
        let json = try CLI.run(["verify", "--db", db, "--json", "--expect-head", head]).json()
        #expect(json["ok"] as? Bool == false)
        let first = try #require(json["first_problem"] as? [String: Any])
        #expect(first["kind"] as? String == "row-edited" && first["seq"] as? Int == 3)
        let problems = try #require(json["problems"] as? [[String: Any]])
        #expect(Set(problems.compactMap { $0["ref"] as? String }) == ["evt-3", "evt-5"])
    }

    @Test("--expect-head: a head the chain does not hold fails; a malformed one is a usage error")
    func expectHead() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let wrong = try CLI.run(["verify", "--db", db, "--expect-head", String(repeating: "0f", count: 32)])
        #expect(wrong.status == 4 && wrong.stdout.contains("expected-head-missing"))
        #expect(try CLI.run(["verify", "--db", db, "--expect-head", "abc"]).status == 64)
        #expect(try CLI.run(["verify", "--db", directory.path("none.sqlite")]).status == 1)
    }
}
