import BypassAuditor
import Foundation
import Testing

@Suite("bypass-auditor inventory")
struct InventoryCommandTests {
    @Test("--json has the documented keys and the state at as-of")
    func jsonDocument() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let result = try CLI.run(["inventory", "--db", db, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try result.json()
        #expect(Set(document.keys) == ["as_of", "tenant", "accounts", "ambiguities", "discrepancies", "indeterminate_changes", "snapshots", "tenant_notes"])
        #expect(document["tenant"] as? String == InventoryE2E.tenant)
        let accounts = try #require(document["accounts"] as? [[String: Any]])
        #expect(accounts.compactMap { $0["account"] as? String } == ["svc-backup", "svc-ediscovery"])
        let backup = accounts[0]
        #expect(Set(backup.keys) == [
            "account", "account_id", "names", "bypass_enabled", "since", "set_by", "since_event_id", "last_event_id",
            "source", "attempts", "guid", "exchange_name", "disputed_by",
        ])
        #expect(backup["bypass_enabled"] as? Bool == true)
        #expect(backup["since"] as? String == "2026-03-05T09:00:00.000Z")
        #expect(backup["set_by"] as? String == "mallory@contoso.com")
        #expect(backup["last_event_id"] as? String == "evt-3")
        #expect(backup["source"] as? String == "events")
        #expect(backup["attempts"] as? Int == 0)
        #expect(backup["guid"] is NSNull)
        #expect(backup["exchange_name"] as? String == "svc-backup@contoso.com")

        let all = try CLI.run(["inventory", "--db", db, "--all", "--json"]).json()
        let everyone = try #require(all["accounts"] as? [[String: Any]])
        let alice = try #require(everyone.first { $0["account"] as? String == "alice" })
        #expect(alice["bypass_enabled"] as? Bool == false)
        #expect(alice["attempts"] as? Int == 1)
        #expect(alice["since"] is NSNull)

        let past = try CLI.run(["inventory", "--db", db, "--as-of", "2026-02-20", "--json"]).json()
        #expect(past["as_of"] as? String == "2026-02-20T23:59:59.999Z")
        #expect((past["accounts"] as? [[String: Any]])?.compactMap { $0["account"] as? String } == ["svc-ediscovery"])
    }

    @Test("human output: one aligned row per bypassed account")
    func humanTable() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let result = try CLI.run(["inventory", "--db", db])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("2 accounts with mailbox audit bypass enabled (3 seen)"))
        let header = try #require(lines.firstIndex { $0.hasPrefix("ACCOUNT") })
        let columns = ["BYPASS", "SINCE", "SET BY", "SOURCE", "ATTEMPTS", "LAST EVENT"]
        let offsets = columns.map { lines[header].range(of: $0)!.lowerBound.utf16Offset(in: lines[header]) }
        let row = lines[header + 2]
        #expect(row.hasPrefix("svc-ediscovery"))
        let values = ["enabled", "2026-02-10T09:00:00.000Z", "exo-admin@contoso.com", "events", "0", "evt-4"]
        var searchFrom = row.startIndex
        for (value, offset) in zip(values, offsets) {
            let found = try #require(row.range(of: value, range: searchFrom..<row.endIndex))
            #expect(found.lowerBound.utf16Offset(in: row) == offset, "\(value) not under its header")
            searchFrom = found.upperBound
        }
    }

    @Test("several tenants and no --tenant: refused with the list; --tenant picks one")
    func tenants() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(
            in: directory,
            events: InventoryE2E.standardEvents + [
                InventoryE2E.event(id: "other-1", at: "2026-01-01T00:00:00Z", identity: "svc-backup", tenant: InventoryE2E.otherTenant)
            ])
        let refused = try CLI.run(["inventory", "--db", db])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("choose one with --tenant"))
        #expect(refused.stderr.contains(InventoryE2E.tenant) && refused.stderr.contains(InventoryE2E.otherTenant))
        #expect(refused.stdout.isEmpty)

        let other = try CLI.run(["inventory", "--db", db, "--tenant", InventoryE2E.otherTenant.uppercased(), "--json"]).json()
        let accounts = try #require(other["accounts"] as? [[String: Any]])
        #expect(accounts.compactMap { $0["last_event_id"] as? String } == ["other-1"])

        let unknown = try CLI.run(["inventory", "--db", db, "--tenant", "nope"])
        #expect(unknown.status == 1 && unknown.stderr.contains("Known tenants"))
    }

    @Test("inventory show: every change with time, actor, client IP, event id, direction, outcome; attempts; names")
    func show() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        let json = try CLI.run(["inventory", "show", "SVC-BACKUP@contoso.com", "--db", db, "--json"]).json()
        let shown = try #require(json["accounts"] as? [[String: Any]])
        #expect(shown.count == 1)
        let account = try #require(shown[0]["account"] as? [String: Any])
        let changes = try #require(account["changes"] as? [[String: Any]])
        #expect(changes.compactMap { $0["kind"] as? String } == ["enabled", "removed", "reenabled"])
        let last = changes[2]
        #expect(last["actor"] as? String == "mallory@contoso.com")
        #expect(last["client_ip"] as? String == "198.51.100.66")
        #expect(last["event_id"] as? String == "evt-3")
        #expect(last["direction"] as? String == "enabled")
        #expect(last["outcome"] as? String == "success")
        #expect(last["time"] as? String == "2026-03-05T09:00:00.000Z")
        #expect(
            Set(account["names"] as? [String] ?? []) == [
                "svc-backup", "svc-backup@contoso.com",
                "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/svc-backup",
            ])

        let alice = try CLI.run(["inventory", "show", "alice", "--db", db])
        #expect(alice.status == 0)
        #expect(alice.stdout.contains("failed-attempt"))
        #expect(alice.stdout.contains("mallory@contoso.com"))

        let text = try CLI.run(["inventory", "show", "svc-backup", "--db", db])
        #expect(text.stdout.contains("Bypass: ENABLED since 2026-03-05T09:00:00.000Z, set by mallory@contoso.com (event evt-3)"))
        #expect(text.stdout.contains("reenabled"))

        let missing = try CLI.run(["inventory", "show", "svc", "--db", db])
        #expect(missing.status == 1 && missing.stderr.contains("error: no account named 'svc'"))
    }

    @Test("names an attacker wrote cannot drive the terminal: control and bidi characters are shown escaped")
    func hostileNames() throws {
        let directory = try TemporaryDirectory()
        let hostile = "svc\u{1B}[2J\u{202E}kcab"
        let db = try InventoryE2E.database(
            in: directory,
            events: [InventoryE2E.event(id: "evil\u{07}", at: "2026-01-01T00:00:00Z", identity: hostile, actor: "x\u{1B}]0;owned\u{07}")])
        for arguments in [["inventory", "--db", db], ["inventory", "show", hostile, "--db", db]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 0)
            #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" || $0 == "\u{07}" })
            #expect(result.stdout.contains("svc\\u{1B}[2J\\u{202E}kcab"))
        }
        // JSON keeps the text as written (escaped by the JSON encoder).
        let json = try CLI.run(["inventory", "--db", db, "--json"]).json()
        #expect((json["accounts"] as? [[String: Any]])?.first?["account"] as? String == hostile)

        let empty = try TemporaryDirectory()
        let emptyDB = try InventoryE2E.database(in: empty, events: [])
        #expect(try CLI.run(["inventory", "--db", emptyDB]).stdout.contains("No bypass event or snapshot is stored"))
    }

    @Test("bad --as-of is a usage error; a missing database is not created")
    func badInput() throws {
        let directory = try TemporaryDirectory()
        let db = try InventoryE2E.database(in: directory)
        #expect(try CLI.run(["inventory", "--db", db, "--as-of", "yesterday"]).status == 64)
        let absent = directory.path("absent.sqlite")
        let result = try CLI.run(["inventory", "--db", absent])
        #expect(result.status == 1 && result.stderr.contains("no database at"))
        #expect(!FileManager.default.fileExists(atPath: absent))
    }
}
