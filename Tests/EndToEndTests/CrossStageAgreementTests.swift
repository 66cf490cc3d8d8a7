import Foundation
import Testing

/// The places where two stages used to keep their own copy of a rule and disagree: each is checked through the
/// real binary, across the stages that once held the copies.
@Suite("Cross-stage agreement: one rule for GUIDs and for the bypass flag")
struct CrossStageAgreementTests {
    static let sampleData = PackageRoot.url.appendingPathComponent("scripts/sample-data").path
    static let allowlist = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path
    static let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
    static let backupGUID = "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"

    static func findings(_ result: CLI.Result) throws -> [[String: Any]] {
        try result.json()["findings"] as? [[String: Any]] ?? []
    }

    @Test("a register entry that knows the account only by its braced, upper-case GUID approves it in drift and report")
    func bracedGUIDEntry() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("audit.sqlite")
        #expect(try CLI.run(["ingest", "--db", db, "\(Self.sampleData)/logs"]).status == 0)
        // AB-0001 renamed so that only its alias, the GUID written as Exchange prints it in braces, can match.
        var register = try String(contentsOfFile: Self.allowlist, encoding: .utf8)
        register = register.replacingOccurrences(
            of: "account: svc-backup@contoso.com\n    aliases: [svc-backup, \(Self.backupGUID)]",
            with: "account: backup-renamed@contoso.com\n    aliases: [\"{\(Self.backupGUID.uppercased())}\"]")
        #expect(register.contains("{7F9C2E4A-1B2C-4D5E-8F90-A1B2C3D4E5F6}"))
        let registerPath = try folder.write("allowlist.yaml", register)
        let drift = try CLI.run(["drift", "--db", db, "--allowlist", registerPath, "--period", "2026-10", "--json"])
        let ids = try Self.findings(drift).compactMap { $0["id"] as? String }
        #expect(!ids.isEmpty, "\(drift.stderr)")
        #expect(!ids.contains("unapproved-bypass:guid:\(Self.backupGUID)"), "\(ids)")
        #expect(!ids.contains("stale-allowlist-entry:AB-0001"), "\(ids)")
        let report = try CLI.run([
            "report", "--db", db, "--allowlist", registerPath, "--period", "2026-10", "--as-of", "2026-11-02T00:00:00Z",
            "--out", folder.path("Reports"), "--format", "csv", "--json",
        ])
        #expect(report.status == 0, "\(report.stderr)")
        let inventoryCSV = try String(contentsOfFile: folder.path("Reports/2026-10/inventory.csv"), encoding: .utf8)
        let backupLine = inventoryCSV.split(whereSeparator: \.isNewline).first { $0.contains(Self.backupGUID) }
        #expect(backupLine?.contains("AB-0001") == true, "\(inventoryCSV)")
    }

    @Test("a snapshot row says bypass is on alike whether it writes True, true or 1", arguments: ["True", "true", "1"])
    func snapshotFlagVocabulary(value: String) throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("audit.sqlite")
        let export = try String(
            contentsOfFile: "\(Self.sampleData)/snapshots/bypass-associations-2026-10-31.csv", encoding: .utf8)
        let lines = export.split(whereSeparator: \.isNewline).map(String.init)
        let backupRow = try #require(lines.first { $0.contains("\"svc-backup\"") })
        let row = backupRow.replacingOccurrences(of: "\"True\",\"\",\"0.10", with: "\"\(value)\",\"\",\"0.10")
        #expect(row != backupRow || value == "True")
        let snapshot = try folder.write("snapshot.csv", ([lines[0], lines[1], row]).joined(separator: "\n") + "\n")
        let imported = try CLI.run([
            "snapshot", "import", "--db", db, "--tenant", Self.tenant, "--complete", "--taken-at", "2026-10-31T22:00:00Z",
            snapshot,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-10-31", "--json"])
        let accounts = try inventory.json()["accounts"] as? [[String: Any]] ?? []
        #expect(accounts.count == 1, "\(inventory.stdout)")
        #expect(accounts.first?["bypass_enabled"] as? Bool == true, "\(value): \(inventory.stdout)")
    }
}
