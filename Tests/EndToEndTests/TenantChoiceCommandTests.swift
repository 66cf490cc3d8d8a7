import Foundation
import Testing

/// Issues 11 and 12: records without `OrganizationId` live under the unknown tenant, beside the known ones. inventory,
/// drift and report never mix them and never pass over them silently: they say which tenant they show, why, and
/// what else the database holds (with counts), in text, JSON and the report itself.
@Suite struct TenantChoiceCommandTests {
    static let tenant = AuditRecordLines.tenant
    static let stray = "7c0ffee0-1111-4222-8333-944445555666"

    /// An audit-impairment record (stored: a bundled rule matches it) for `tenant`, or without OrganizationId.
    static func impairment(id: String, tenant: String?) -> String {
        let line = AuditRecordLines.auditIngestionDisabled(id: id)
        guard let tenant else {
            return line.replacingOccurrences(of: #""OrganizationId":"\#(Self.tenant)","#, with: "")
        }
        return line.replacingOccurrences(of: Self.tenant, with: tenant)
    }

    private func database(_ folder: TemporaryDirectory, _ lines: [String]) throws -> String {
        let logs = try folder.write("logs.ndjson", lines.joined(separator: "\n") + "\n")
        let db = folder.path("db.sqlite")
        let ingest = try CLI.run(["ingest", "--db", db, logs])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return db
    }

    private func drift(_ db: String, _ folder: TemporaryDirectory, _ extra: [String] = []) throws -> CLI.Result {
        let allowlist = try folder.write("allowlist.yaml", "version: 1\nentries: []\n")
        return try CLI.run(
            ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-01", "--period", "2026-10", "--fail-on",
             "none"] + extra)
    }

    private func reportMarkdown(_ db: String, _ folder: TemporaryDirectory, _ extra: [String] = []) throws
        -> (CLI.Result, String)
    {
        let allowlist = try folder.write("allowlist.yaml", "version: 1\nentries: []\n")
        let out = folder.path("reports-\(UUID().uuidString)")
        let run = try CLI.run(
            ["report", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--out", out, "--now", "2026-11-02",
             "--format", "md,json"] + extra)
        let markdown = (try? String(contentsOfFile: out + "/2026-10/report.md", encoding: .utf8)) ?? ""
        return (run, markdown)
    }

    @Test func bypassRecordsWithoutATenantBesideAKnownTenantAreNeverShownSilently() throws {
        // The known tenant has only an impairment event; the bypass record carries no OrganizationId.
        let folder = try TemporaryDirectory()
        let db = try database(
            folder, [AuditRecordLines.bypass(id: "no-org", identity: "svc-x", tenant: nil), Self.impairment(id: "imp", tenant: Self.tenant)])

        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01"])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        #expect(inventory.stderr.contains("UNKNOWN tenant"), "\(inventory.stderr)")
        #expect(inventory.stderr.contains(Self.tenant), "names the known tenant: \(inventory.stderr)")
        #expect(inventory.stderr.contains("1 event in all"), "with its counts: \(inventory.stderr)")
        let json = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01", "--json"]).json()
        #expect((json["tenant_notes"] as? [String])?.contains { $0.contains("UNKNOWN tenant") } == true, "\(json)")

        let drift = try drift(db, folder)
        #expect(drift.status == 0, "\(drift.stderr)")
        #expect(drift.stderr.contains("UNKNOWN tenant"), "\(drift.stderr)")
        let (report, markdown) = try reportMarkdown(db, folder)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stderr.contains("UNKNOWN tenant"), "\(report.stderr)")
        #expect(markdown.contains("UNKNOWN tenant"), "the report itself says so")

        // Asked for the known tenant, the records without one are named as left out.
        let known = try CLI.run(["inventory", "--db", db, "--tenant", Self.tenant, "--as-of", "2026-11-01"])
        #expect(known.status == 0, "\(known.stderr)")
        #expect(known.stderr.contains("without OrganizationId"), "\(known.stderr)")
        #expect(known.stderr.contains("1 bypass event"), "\(known.stderr)")
        #expect(known.stderr.contains("NOT in this view"), "\(known.stderr)")
    }

    @Test func aStrayRecordOfAnotherTenantNeitherStopsDriftNorPassesUnsaid() throws {
        // Tenant A holds the bypasses; one impairment record carries another OrganizationId, one carries none.
        let folder = try TemporaryDirectory()
        let db = try database(
            folder,
            [
                AuditRecordLines.bypass(id: "b1", identity: "j.doe"),
                AuditRecordLines.bypass(id: "b2", identity: "svc-y", time: "2026-10-22T03:00:00"),
                Self.impairment(id: "stray", tenant: Self.stray), Self.impairment(id: "none", tenant: nil),
            ])
        let drift = try drift(db, folder, ["--json"])
        #expect(drift.status == 0, "\(drift.stderr)")
        #expect(try drift.json()["tenant"] as? String == Self.tenant)
        #expect(drift.stderr.contains("tenant \(Self.tenant) chosen"), "says which it picked: \(drift.stderr)")
        #expect(drift.stderr.contains("only tenant with bypass data"), "\(drift.stderr)")
        #expect(drift.stderr.contains(Self.stray), "names the other tenant: \(drift.stderr)")
        #expect(drift.stderr.contains("without OrganizationId"), "\(drift.stderr)")
        let notes = try drift.json()["tenant_notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains(Self.stray) && $0.contains("1 event in all") }, "\(notes)")

        let (report, markdown) = try reportMarkdown(db, folder)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stderr.contains("only tenant with bypass data"), "\(report.stderr)")
        #expect(markdown.contains(Self.stray), "the report names the other tenant")

        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01"])
        #expect(inventory.status == 0)
        #expect(inventory.stderr.contains("only tenant with bypass data"), "\(inventory.stderr)")
    }

    @Test func twoTenantsWithBypassDataAreListedWithCountsNotGuessed() throws {
        let folder = try TemporaryDirectory()
        let db = try database(
            folder,
            [
                AuditRecordLines.bypass(id: "b1", identity: "j.doe"),
                AuditRecordLines.bypass(id: "b2", identity: "svc-y", time: "2026-10-22T03:00:00"),
                AuditRecordLines.bypass(id: "s1", identity: "x", tenant: Self.stray),
            ])
        let drift = try drift(db, folder)
        #expect(drift.status == 1)
        #expect(drift.stderr.contains("\(Self.tenant) (2 bypass events"), "\(drift.stderr)")
        #expect(drift.stderr.contains("\(Self.stray) (1 bypass event"), "\(drift.stderr)")
        #expect(drift.stderr.contains("--tenant"))
    }
}
