import Foundation
import Testing

/// A database written by an earlier `main` (Tests/BypassAuditorTests/Fixtures/Upgrade, made before the
/// `v2-bypass-change` migration) must open, migrate and answer exactly as it did, and as a fresh ingest of the same
/// data answers today: databases outlive releases.
@Suite("Upgrade: a database from main 209516c migrates and answers the same")
struct UpgradeTests {
    static let fixtures = PackageRoot.url.appendingPathComponent("Tests/BypassAuditorTests/Fixtures/Upgrade")
    static let sampleData = PackageRoot.url.appendingPathComponent("scripts/sample-data").path
    static let allowlist = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path
    static let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"

    /// The old database, copied so the committed fixture is never migrated in place.
    static func upgradedCopy(in folder: TemporaryDirectory) throws -> String {
        let copy = folder.path("upgraded.sqlite")
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("main-209516c.sqlite").path, toPath: copy)
        return copy
    }

    /// Today's binary doing what `make-fixture.sh` did with the old one.
    static func freshDatabase(in folder: TemporaryDirectory) throws -> String {
        let db = folder.path("fresh.sqlite")
        let steps: [[String]] = [
            ["ingest", "--db", db, "\(sampleData)/logs"],
            ["detect", "--db", db, "--as-of", "2026-11-29T00:00:00Z"],
            ["snapshot", "import", "--db", db, "--tenant", tenant, "--complete", "--taken-at", "2026-09-30T23:00:00Z",
             "\(sampleData)/snapshots/bypass-associations-2026-09-30.json"],
            ["snapshot", "import", "--db", db, "--tenant", tenant, "--taken-at", "2026-10-31T22:00:00Z",
             "\(sampleData)/snapshots/bypass-associations-2026-10-31.csv"],
        ]
        for step in steps {
            let result = try CLI.run(step)
            #expect(result.status == 0, "\(step.prefix(2)): \(result.stderr)")
        }
        return db
    }

    static func expected(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func objects(_ document: [String: Any], _ key: String) -> [[String: Any]] {
        document[key] as? [[String: Any]] ?? []
    }

    /// What a finding list must keep across an upgrade: each finding's stable id and kind.
    static func findingKeys(_ drift: [String: Any]) -> [String] {
        objects(drift, "findings").map { "\($0["id"] ?? "")|\($0["kind"] ?? "")" }.sorted()
    }

    static func controlStatuses(_ drift: [String: Any]) -> [String] {
        objects(drift, "controls").map { "\($0["id"] ?? "")=\($0["status"] ?? "")" }.sorted()
    }

    /// Who is in the inventory, under which id and name, and whether bypass is on.
    static func accountKeys(_ inventory: [String: Any]) -> [String] {
        objects(inventory, "accounts").map {
            "\($0["account_id"] ?? "")|\($0["account"] ?? "")|\($0["bypass_enabled"] ?? "")|\($0["since"] ?? "")"
        }.sorted()
    }

    @Test("verify: the old chain verifies after migration, its head still in it, followed by the rows v4 chains")
    func verifyAfterUpgrade() throws {
        let folder = try TemporaryDirectory()
        let db = try Self.upgradedCopy(in: folder)
        let then = try Self.expected("verify.json")
        let oldHead = try #require(then["head"] as? String)
        // A head published from the old database must still be found: the upgrade appends, it never rewrites.
        let result = try CLI.run(["verify", "--db", db, "--json", "--expect-head", oldHead])
        #expect(result.status == 0, "\(result.stderr)")
        let now = try result.json()
        #expect(now["ok"] as? Bool == true)
        #expect((now["problems"] as? [Any])?.isEmpty == true)
        let oldEntries = try #require(then["entries"] as? Int)
        #expect(now["expected_head_seq"] as? Int == oldEntries)
        // Every old entry kind is unchanged; what v4 added is the rows v1 left outside the chain.
        let kinds = try #require(now["entries_by_kind"] as? [String: Int])
        let oldKinds = try #require(then["entries_by_kind"] as? [String: Int])
        for (kind, count) in oldKinds { #expect(kinds[kind] == count, "\(kind)") }
        let added = kinds.filter { oldKinds[$0.key] == nil }
        #expect(Set(added.keys).isSubset(of: [
            "stored-event", "alert", "alert-triage", "coverage", "collection-gap",
            "allowlist-observation", "allowlist-change",  // v5
        ]))
        #expect(added["coverage", default: 0] > 0 && added["alert", default: 0] > 0)
        #expect(now["entries_since_expected_head"] as? Int == added.values.reduce(0, +))
    }

    @Test("drift: the same findings and control statuses as the old binary and as a fresh ingest")
    func driftAfterUpgrade() throws {
        let folder = try TemporaryDirectory()
        let upgraded = try Self.upgradedCopy(in: folder)
        let fresh = try Self.freshDatabase(in: folder)
        let arguments = ["drift", "--allowlist", Self.allowlist, "--period", "2026-10", "--json"]
        let fromUpgraded = try CLI.run(arguments + ["--db", upgraded])
        let fromFresh = try CLI.run(arguments + ["--db", fresh])
        // 3: findings at or above the failing severity, the same status the old binary ended with.
        #expect(fromUpgraded.status == 3, "\(fromUpgraded.stderr)")
        #expect(fromFresh.status == 3, "\(fromFresh.stderr)")
        let old = try Self.expected("drift-2026-10.json")
        let upgradedDrift = try fromUpgraded.json()
        let freshDrift = try fromFresh.json()
        #expect(Self.findingKeys(old).count == 14)
        #expect(Self.findingKeys(upgradedDrift) == Self.findingKeys(old))
        #expect(Self.findingKeys(freshDrift) == Self.findingKeys(old))
        #expect(Self.controlStatuses(upgradedDrift) == Self.controlStatuses(old))
        #expect(Self.controlStatuses(freshDrift) == Self.controlStatuses(old))
    }

    @Test("inventory: the same accounts, names and states, at a time and over all history")
    func inventoryAfterUpgrade() throws {
        let folder = try TemporaryDirectory()
        let upgraded = try Self.upgradedCopy(in: folder)
        let fresh = try Self.freshDatabase(in: folder)
        for (arguments, expectedFile) in [
            (["inventory", "--as-of", "2026-10-31", "--json"], "inventory-2026-10-31.json"),
            (["inventory", "--all", "--json"], "inventory-all.json"),
        ] {
            let old = try Self.expected(expectedFile)
            let fromUpgraded = try CLI.run(arguments + ["--db", upgraded])
            let fromFresh = try CLI.run(arguments + ["--db", fresh])
            #expect(fromUpgraded.status == 0, "\(fromUpgraded.stderr)")
            let upgradedAccounts = Self.accountKeys(try fromUpgraded.json())
            #expect(!upgradedAccounts.isEmpty)
            #expect(upgradedAccounts == Self.accountKeys(old), "\(expectedFile)")
            #expect(Self.accountKeys(try fromFresh.json()) == Self.accountKeys(old), "\(expectedFile)")
        }
    }
}
