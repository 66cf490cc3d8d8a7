import Foundation
import Testing

/// Snapshots never hide a logged bypass: completeness is only what `--complete` asserts, an export of exactly 1,000
/// rows is probably truncated, and absence from a snapshot disputes a bypass instead of ending it.
@Suite struct SnapshotTrustCommandTests {
    static let tenant = AuditRecordLines.tenant

    /// A register that approves nobody, so j.doe's bypass is unapproved.
    static let register = """
        version: 1
        entries: []

        """

    /// An `Export-Csv` of `Get-MailboxAuditBypassAssociation` with `trueRows` bypassed and `falseRows` not bypassed
    /// accounts, none of them j.doe.
    static func export(trueRows: Int, falseRows: Int) -> String {
        var lines = [#""AuditBypassEnabled","Name","Identity","OrganizationId","Guid""#]
        for index in 0..<(trueRows + falseRows) {
            let guid = String(format: "%08x-0000-4000-8000-%012x", index + 1, index + 1)
            lines.append(#""\#(index < trueRows ? "True" : "False")","user\#(index)","user\#(index)","","\#(guid)""#)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A database holding j.doe's logged, unapproved bypass (2026-10-21).
    private func databaseWithLoggedBypass(_ folder: TemporaryDirectory) throws -> String {
        let logs = try folder.write("logs.ndjson", AuditRecordLines.bypass(id: "jdoe-on", identity: "j.doe") + "\n")
        let db = folder.path("db.sqlite")
        let ingest = try CLI.run(["ingest", "--db", db, logs])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return db
    }

    private func jdoe(_ db: String) throws -> [String: Any]? {
        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01", "--json"]).json()
        return (inventory["accounts"] as? [[String: Any]])?.first { $0["account"] as? String == "j.doe" }
    }

    private func findings(_ db: String, _ folder: TemporaryDirectory) throws -> [[String: Any]] {
        let allowlist = try folder.write("allowlist.yaml", Self.register)
        let drift = try CLI.run(
            ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-01", "--fail-on", "none", "--json"])
        #expect(drift.status == 0, "\(drift.stderr)")
        return try drift.json()["findings"] as? [[String: Any]] ?? []
    }

    @Test(arguments: [1000, 999])
    func aTruncatedExportWithFalseRowsNeverTurnsALoggedBypassOff(rows: Int) throws {
        let folder = try TemporaryDirectory()
        let db = try databaseWithLoggedBypass(folder)
        let csv = try folder.write("export.csv", Self.export(trueRows: 5, falseRows: rows - 5))
        let imported = try CLI.run(
            ["snapshot", "import", "--db", db, "--tenant", Self.tenant, "--taken-at", "2026-10-25", "--json", csv])
        #expect(imported.status == 0, "\(imported.stderr)")
        let result = try imported.json()
        #expect((result["snapshot"] as? [String: Any])?["complete"] as? Bool == false, "False rows prove nothing")
        #expect(result["probably_truncated"] as? Bool == (rows == 1000))
        if rows == 1000 { #expect(imported.stderr.contains("exactly 1000 rows"), "\(imported.stderr)") }
        let account = try #require(try jdoe(db))
        #expect(account["bypass_enabled"] as? Bool == true)
        let unapproved = try findings(db, folder).first {
            $0["kind"] as? String == "unapproved-bypass" && $0["account"] as? String == "j.doe"
        }
        #expect(unapproved != nil, "j.doe's logged bypass is still an unapproved bypass")
        // The remediation script still removes it.
        let out = folder.path("reports")
        let allowlist = folder.path("allowlist.yaml")
        let report = try CLI.run(
            ["report", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--out", out, "--now", "2026-11-02",
             "--format", "md"])
        #expect(report.status == 0, "\(report.stderr)")
        let remediation = try String(contentsOfFile: out + "/2026-10/remediation.ps1", encoding: .utf8)
        #expect(remediation.contains("j.doe"))
    }

    @Test func completeIsRefusedForExactly1000RowsUnlessOverriddenAndThenOnlyDisputes() throws {
        let folder = try TemporaryDirectory()
        let db = try databaseWithLoggedBypass(folder)
        let csv = try folder.write("export.csv", Self.export(trueRows: 5, falseRows: 995))
        let refused = try CLI.run(
            ["snapshot", "import", "--db", db, "--tenant", Self.tenant, "--taken-at", "2026-10-25", "--complete", csv])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("probably cut off"), "\(refused.stderr)")
        let accepted = try CLI.run(
            ["snapshot", "import", "--db", db, "--tenant", Self.tenant, "--taken-at", "2026-10-25", "--complete",
             "--complete-despite-1000-rows", csv])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("-ResultSize Unlimited and no filter"), "\(accepted.stdout)")
        // Complete and contradicting the logs: j.doe stays bypassed, disputed by the snapshot.
        let account = try #require(try jdoe(db))
        #expect(account["bypass_enabled"] as? Bool == true)
        #expect(account["disputed_by"] as? [Int] == [1])
        let all = try findings(db, folder).filter { $0["account"] as? String == "j.doe" }
        let bypass = try #require(all.first { $0["kind"] as? String == "unapproved-bypass" })
        let mismatch = try #require(all.first { $0["kind"] as? String == "snapshot-mismatch" })
        #expect(bypass["severity"] as? String != "medium")
        #expect(mismatch["severity"] as? String == bypass["severity"] as? String, "as severe as the bypass it disputes")
        let shown = try CLI.run(["inventory", "show", "--db", db, "--as-of", "2026-11-01", "j.doe"])
        #expect(shown.stdout.contains("DISPUTED by snapshot 1"), "\(shown.stdout)")
    }

    @Test func duplicatesAreReportedAndTheImportTimeIsSaidLoudly() throws {
        let folder = try TemporaryDirectory()
        let db = try databaseWithLoggedBypass(folder)
        let csv = try folder.write(
            "dup.csv",
            """
            "AuditBypassEnabled","Name","Identity","OrganizationId"\r
            "False","svc-backup","svc-backup",""\r
            "True","svc-backup","svc-backup",""\r

            """)
        let imported = try CLI.run(["snapshot", "import", "--db", db, "--tenant", Self.tenant, csv])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("WARNING: no --taken-at"), "\(imported.stderr)")
        #expect(imported.stderr.contains("IMPORT time"))
        #expect(imported.stderr.contains("duplicate of row 1"), "\(imported.stderr)")
        #expect(imported.stdout.contains("Duplicate rows (1)"))
        // The rows disagree: the account is taken as bypassed, never resolved towards "clean".
        let inventory = try CLI.run(["inventory", "--db", db, "--json"]).json()
        let backup = (inventory["accounts"] as? [[String: Any]])?.first { $0["account"] as? String == "svc-backup" }
        #expect(backup?["bypass_enabled"] as? Bool == true)
    }

    @Test func theScriptExportsEverythingAndItsFileNameDatesAndPlacesTheImport() throws {
        let script = try CLI.run(["snapshot", "script"])
        #expect(script.status == 0)
        #expect(script.stdout.contains("Get-MailboxAuditBypassAssociation -ResultSize Unlimited"))
        #expect(script.stdout.contains("Export-Csv -Path $file -NoTypeInformation -Encoding utf8"))
        #expect(script.stdout.contains("ToUniversalTime()"))
        #expect(script.stdout.contains("bypass-associations_$($tenant)_$($taken).csv"))

        let folder = try TemporaryDirectory()
        let db = try databaseWithLoggedBypass(folder)
        let csv = try folder.write(
            "bypass-associations_\(Self.tenant)_20261025T081500Z.csv", Self.export(trueRows: 1, falseRows: 1))
        let imported = try CLI.run(["snapshot", "import", "--db", db, "--json", csv])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!imported.stderr.contains("no --taken-at"))
        let result = try imported.json()
        #expect(result["taken_at_source"] as? String == "file-name")
        #expect(result["tenant_source"] as? String == "file-name")
        let snapshot = try #require(result["snapshot"] as? [String: Any])
        #expect(snapshot["taken_at"] as? String == "2026-10-25T08:15:00.000Z")
        #expect(snapshot["tenant"] as? String == Self.tenant)
    }
}
