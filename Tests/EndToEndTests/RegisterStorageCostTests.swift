import Foundation
import GRDB
import Testing
import TestSupport

/// An edit of a large register stores what changed, not another copy of the file (twice: version and chain).
@Suite("Register versions are stored compactly")
struct RegisterStorageCostTests {
    /// A valid register of about `bytes` bytes (many complete third-party-tool entries).
    static func largeRegister(bytes: Int) -> String {
        var text = "version: 1\nreview_interval_days: 90\nexpiry_warning_days: 30\nauthorized_admins:\n  - exo-admin@contoso.com\nentries:\n"
        var index = 0
        while text.utf8.count < bytes {
            index += 1
            text += """
                  # unit \(index)
                  - id: AB-\(String(format: "%05d", index))
                    account: svc-tool-\(index)@contoso.com
                    category: third-party-tool
                    tool: Backup for unit \(index)
                    owner: team-\(index)@contoso.com
                    justification: Nightly backup of unit \(index).
                    approved_by: ciso@contoso.com
                    approved_on: 2026-01-15
                    ticket: CHG-\(index)
                    last_reviewed_on: 2026-10-01
                    expires_on: 2027-01-15


                """
        }
        return text
    }

    /// Bytes of register text the database holds: stored versions, deltas and the chain's copies.
    static func storedRegisterBytes(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            let versions = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(CAST(content AS BLOB))), 0) FROM allowlist_version") ?? 0
            let chain = try Int.fetchOne(
                db, sql: "SELECT COALESCE(SUM(LENGTH(CAST(content AS BLOB))), 0) FROM ledger WHERE kind = 'allowlist-version'") ?? 0
            let deltas = try db.tableExists("allowlist_version_delta")
                ? Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(middle)), 0) FROM allowlist_version_delta") ?? 0 : 0
            return versions + chain + deltas
        }
    }

    @Test("Three edits of a 1 MB register add kilobytes, the history reads back, and verify rebuilds every version")
    func editsStoreOnlyWhatChanged() throws {
        let directory = try TemporaryDirectory()
        let register = Self.largeRegister(bytes: 1_000_000)
        let allowlist = try directory.write("allowlist.yaml", register)
        let db = directory.path("audit.sqlite")
        let add = try CLI.run(
            ProjectConfigurationTests.addArguments + ["--allowlist", allowlist, "--db", db, "--reason", "new"])
        #expect(add.status == 0, "\(add.stderr)")
        let afterFirst = try Self.storedRegisterBytes(db)
        // The first edit stores its baseline once, in full.
        #expect(afterFirst < register.utf8.count + 50_000, "\(afterFirst)")

        for (id, day) in [("AB-00002", "2026-11-20"), ("AB-00500", "2026-11-21")] {
            let renew = try CLI.run(["allowlist", "renew", id, "--reviewed-on", day, "--allowlist", allowlist, "--db", db])
            #expect(renew.status == 0, "\(renew.stderr)")
        }
        let remove = try CLI.run(
            ["allowlist", "remove", "AB-00003", "--reason", "retired", "--yes", "--allowlist", allowlist, "--db", db])
        #expect(remove.status == 0, "\(remove.stderr)")
        let afterAll = try Self.storedRegisterBytes(db)
        #expect(afterAll - afterFirst < 20_000, "three more edits stored \(afterAll - afterFirst) bytes of register text")

        // Every version still reads back: the history of an entry, and the chain check that rebuilds each text.
        let show = try CLI.run(["allowlist", "show", "AB-00500", "--allowlist", allowlist, "--db", db, "--json"]).json()
        #expect((show["changes"] as? [[String: Any]])?.first?["fields"] as? [String] == ["last_reviewed_on"])
        let verify = try CLI.run(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // A delta changed behind the tool's back no longer rebuilds to the chained digest.
        try OutsideEdit.write(db) { db in
            // The renewal of AB-00500 changed "2026-10-01" to "2026-11-21": its delta holds "1-2"; make it "0-2".
            try db.execute(
                sql: """
                    UPDATE allowlist_version_delta SET middle = CAST('0-2' AS BLOB)
                    WHERE CAST(middle AS TEXT) = '1-2'
                    """)
            #expect(db.changesCount == 1)
        }
        let tampered = try CLI.run(["verify", "--db", db, "--json"])
        #expect(tampered.status == 4, "\(tampered.stdout)")
        #expect(tampered.stdout.contains("allowlist_version"))
    }
}
