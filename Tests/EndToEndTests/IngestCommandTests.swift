import Foundation
import Testing

/// `bypass-auditor ingest` as an operator runs it: the real binary, real files, a real database on disk.
@Suite struct IngestCommandTests {
    static let samples = PackageRoot.url.appendingPathComponent("scripts/sample-data/logs").path
    static let rules = PackageRoot.url.appendingPathComponent("Policies/rules").path

    @Test func ingestsTheBundledSamplesInEveryFormatAndStoresNothingTwice() throws {
        let folder = try TemporaryDirectory()
        let first = try CLI.run(["ingest", "--db", folder.path("db.sqlite"), "--rules", Self.rules, "--json", Self.samples])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try first.json()
        #expect(summary["files"] as? Int == 4)
        #expect(summary["skipped"] as? Int == 0)
        // 12 bypass records across the four files, plus the one Set-Mailbox that trims audit actions.
        #expect(summary["events_stored"] as? Int == 13)
        #expect(summary["records"] as? Int == 2543)
        let again = try CLI.run(["ingest", "--db", folder.path("db.sqlite"), "--rules", Self.rules, "--json", Self.samples])
        let second = try again.json()
        #expect(second["events_stored"] as? Int == 0)
        #expect(second["files_unchanged"] as? Int == 4)
    }

    @Test func aBrokenLineIsReportedByFileAndLineAndExitsTwoKeepingTheRest() throws {
        let folder = try TemporaryDirectory()
        let good = #"{"CreationTime":"2026-10-21T03:14:07","Id":"b1","Operation":"Set-MailboxAuditBypassAssociation","OrganizationId":"t","RecordType":1,"ResultStatus":"True","UserId":"x@contoso.com","Workload":"Exchange","Parameters":[{"Name":"Identity","Value":"j.doe"},{"Name":"AuditBypassEnabled","Value":"True"}]}"#
        let broken = #"{"CreationTime":"2026-10-21T03:15:00","Operation":"Set-MailboxAuditBypassAssociation","Id":"b2","#
        let path = try folder.write("audit.ndjson", [broken, good].joined(separator: "\n") + "\n")
        let result = try CLI.run(["ingest", "--db", folder.path("db.sqlite"), "--rules", Self.rules, path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(path):1:"), "\(result.stderr)")
        #expect(result.stdout.contains("stored 1 new event"))
        // A first line that is not JSON at all must not hide the good lines after it either.
        let garbage = try folder.write("garbage.ndjson", "garbage Set-MailboxAuditBypassAssociation\n" + good.replacingOccurrences(of: "b1", with: "b3") + "\n")
        let second = try CLI.run(["ingest", "--db", folder.path("db.sqlite"), "--rules", Self.rules, garbage])
        #expect(second.status == 2)
        #expect(second.stderr.contains("\(garbage):1:"), "\(second.stderr)")
        #expect(second.stdout.contains("stored 1 new event"), "\(second.stdout)")
    }

    /// `\u0041` is `A` to every JSON parser: plain ingest (not only `--validate`) must store the bypass it spells.
    @Test func aBypassSpelledThroughJSONEscapesIsStoredWithoutValidate() throws {
        let folder = try TemporaryDirectory()
        let escaped = #"{"CreationTime":"2026-10-21T03:14:07","Id":"esc1","Operation":"Set-MailboxAuditBypass\u0041ssociation","OrganizationId":"t","RecordType":1,"ResultStatus":"True","UserId":"x@contoso.com","Workload":"Exchange","Parameters":[{"Name":"Identity","Value":"j.doe"},{"Name":"AuditBypassEnabled","Value":"True"}]}"#
        let path = try folder.write("audit.ndjson", escaped + "\n")
        let result = try CLI.run(["ingest", "--db", folder.path("db.sqlite"), "--rules", Self.rules, "--json", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try result.json()["events_stored"] as? Int == 1)
    }

    /// A line cut short is reported and exits 2 even when it holds none of the prefilter's literals.
    @Test func aTruncatedLineWithoutLiteralsExitsTwo() throws {
        let folder = try TemporaryDirectory()
        let good = #"{"CreationTime":"2026-10-21T03:14:07","Id":"m1","Operation":"MailItemsAccessed","OrganizationId":"t","RecordType":50,"Workload":"Exchange","UserId":"x@contoso.com"}"#
        let truncated = #"{"CreationTime":"2026-10-21T03:15:00","Id":"m2","Operation":"MailItemsAcc"#
        let path = try folder.write("audit.ndjson", [good, truncated, good.replacingOccurrences(of: "m1", with: "m3")].joined(separator: "\n") + "\n")
        let result = try CLI.run(["ingest", "--db", folder.path("db.sqlite"), "--rules", Self.rules, "--json", path])
        #expect(result.status == 2, "\(result.stderr)")
        let summary = try result.json()
        #expect(summary["skipped"] as? Int == 1)
        #expect(summary["records"] as? Int == 2)
        let errors = try #require(summary["errors"] as? [[String: Any]])
        #expect(errors.map { $0["line"] as? Int } == [2], "\(errors)")
    }

    @Test func readsStandardInput() throws {
        let folder = try TemporaryDirectory()
        let line = #"{"CreationTime":"2026-10-21T03:14:07","Id":"s1","Operation":"Set-MailboxAuditBypassAssociation","OrganizationId":"t","RecordType":1,"ResultStatus":"True","UserId":"x@contoso.com","Workload":"Exchange","Parameters":[{"Name":"Identity","Value":"j.doe"},{"Name":"AuditBypassEnabled","Value":"True"}]}"#
        let result = try CLI.run(
            ["ingest", "--db", folder.path("db.sqlite"), "--rules", Self.rules, "--json", "-"], stdin: Data((line + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try result.json()["events_stored"] as? Int == 1)
    }

    @Test func aMissingPathFailsWithItsName() throws {
        let folder = try TemporaryDirectory()
        let result = try CLI.run(["ingest", "--db", folder.path("db.sqlite"), folder.path("nope.ndjson")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nope.ndjson"))
    }

    /// A kill -9 in the middle of an ingest loses nothing committed and half-stores nothing: the database stays
    /// consistent and a rerun ends with exactly what one clean run stores.
    @Test func aKilledIngestResumesToTheSameResult() throws {
        let folder = try TemporaryDirectory()
        var lines: [String] = []
        let padding = String(repeating: "p", count: 600)
        for index in 0..<60_000 {
            let operation = index % 500 == 0 ? "Set-MailboxAuditBypassAssociation" : "MailItemsAccessed"
            let day = 1 + index % 28
            lines.append(
                #"{"CreationTime":"2026-10-\#(String(format: "%02d", day))T10:00:00","Id":"id-\#(index)","Operation":"\#(operation)","OrganizationId":"t","RecordType":1,"ResultStatus":"True","UserId":"x@contoso.com","Workload":"Exchange","Parameters":[{"Name":"Identity","Value":"acct-\#(index)"},{"Name":"AuditBypassEnabled","Value":"True"}],"Pad":"\#(padding)"}"#)
        }
        let path = try folder.write("big.ndjson", lines.joined(separator: "\n") + "\n")
        let database = folder.path("db.sqlite")

        let process = Process()
        process.executableURL = try CLI.binary
        process.arguments = ["ingest", "--db", database, "--rules", Self.rules, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let resumed = try CLI.run(["ingest", "--db", database, "--rules", Self.rules, "--json", path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let check = try CLI.run(["verify", "--db", database, "--json"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let inventory = try CLI.run(["inventory", "--db", database, "--all", "--json"])
        let accounts = try inventory.json()["accounts"] as? [[String: Any]]
        #expect(accounts?.count == 120, "every bypass record stored exactly once")
    }
}
