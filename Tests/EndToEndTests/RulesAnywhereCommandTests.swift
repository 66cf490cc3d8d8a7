import Foundation
import Testing

/// The binary carries its rules: ingest, detect and report give the same answer from any working directory, and a
/// `--rules` folder that does not exist is an error rather than a quiet narrowing.
@Suite struct RulesAnywhereCommandTests {
    static let allowlist = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path

    /// Ingest, detect and report with the default rules, run in `directory`; what was stored, alerted and published.
    private func pipeline(in directory: URL, scratch: TemporaryDirectory, tag: String) throws
        -> (stored: Int, alerts: [String], reportDigest: String?)
    {
        let logs = try scratch.write(
            "logs-\(tag).ndjson",
            [
                AuditRecordLines.bypass(id: "b-1", identity: "j.doe"),
                AuditRecordLines.auditIngestionDisabled(id: "imp-1"),
                AuditRecordLines.noise(id: "n-1"),
            ].joined(separator: "\n") + "\n")
        let db = scratch.path("db-\(tag).sqlite")
        let ingest = try CLI.run(["ingest", "--db", db, "--json", logs], in: directory)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(!ingest.stderr.contains("keeping bypass records only"), "\(ingest.stderr)")
        let detect = try CLI.run(["detect", "--db", db, "--json", "--now", "2026-10-22"], in: directory)
        #expect(detect.status == 0, "\(detect.stderr)")
        let alerts = (try detect.json()["alerts"] as? [[String: Any]] ?? [])
            .map { "\($0["rule_name"] ?? "?") / \($0["event_id"] ?? "?")" }.sorted()
        let out = scratch.path("reports-\(tag)")
        let report = try CLI.run(
            ["report", "--db", db, "--allowlist", Self.allowlist, "--period", "2026-10", "--format", "json",
             "--out", out, "--now", "2026-11-02"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        let reportText = try? String(contentsOfFile: out + "/2026-10/report.json", encoding: .utf8)
        let digest = reportText.flatMap { text in
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]).flatMap {
                ($0["provenance"] as? [String: Any])?["rule_set_digest"] as? String
            }
        }
        return (try ingest.json()["events_stored"] as? Int ?? -1, alerts, digest)
    }

    @Test func aFolderOutsideTheRepositoryStoresTheImpairmentAndRaisesTheSameAlertsAsTheRoot() throws {
        let scratch = try TemporaryDirectory()
        let elsewhere = try TemporaryDirectory()
        let fromRoot = try pipeline(in: PackageRoot.url, scratch: scratch, tag: "root")
        let fromElsewhere = try pipeline(in: elsewhere.url, scratch: scratch, tag: "elsewhere")
        // The bypass and the audit-impairment record are both stored, wherever the tool runs.
        #expect(fromElsewhere.stored == 2)
        #expect(fromElsewhere.stored == fromRoot.stored)
        #expect(fromElsewhere.alerts.contains { $0.hasSuffix("/ imp-1") }, "\(fromElsewhere.alerts)")
        #expect(fromElsewhere.alerts.contains { $0.hasSuffix("/ b-1") }, "\(fromElsewhere.alerts)")
        #expect(fromElsewhere.alerts == fromRoot.alerts)
        // The report publishes the digest of the rules in force, the one `rules list` shows.
        let listed = try CLI.run(["rules", "list", "--json"], in: elsewhere.url)
        #expect(listed.status == 0, "\(listed.stderr)")
        let listing = try listed.json()
        #expect(listing["source"] as? String == "bundled")
        let digest = try #require(listing["digest"] as? String)
        #expect(fromElsewhere.reportDigest == digest)
        #expect(fromRoot.reportDigest == digest)
    }

    @Test func rulesListNamesTheSetInForceAndItsDigest() throws {
        let elsewhere = try TemporaryDirectory()
        let bundled = try CLI.run(["rules", "list"], in: elsewhere.url)
        #expect(bundled.status == 0, "\(bundled.stderr)")
        #expect(bundled.stdout.contains("bundled with this binary"))
        #expect(bundled.stdout.contains("O365 Mailbox Audit Logging Bypass"))
        // A folder with one rule replaces the bundled set, and the listing says so.
        let folder = try TemporaryDirectory()
        let rule = PackageRoot.url.appendingPathComponent("Policies/rules/o365_mailbox_audit_logging_bypass.toml")
        try FileManager.default.copyItem(at: rule, to: folder.url.appendingPathComponent("only.toml"))
        let replaced = try CLI.run(["rules", "list", "--json", "--rules", folder.url.path], in: elsewhere.url)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let listing = try replaced.json()
        #expect(listing["source"] as? String == "path")
        #expect(listing["path"] as? String == folder.url.path)
        #expect((listing["rules"] as? [Any])?.count == 1)
        let bundledDigest = try CLI.run(["rules", "list", "--json"], in: elsewhere.url).json()["digest"] as? String
        #expect(listing["digest"] as? String != bundledDigest)
    }

    @Test func aRulesFolderThatDoesNotExistIsAnErrorForEveryCommand() throws {
        let scratch = try TemporaryDirectory()
        let logs = try scratch.write("logs.ndjson", AuditRecordLines.bypass(id: "b-1", identity: "j.doe") + "\n")
        let missing = scratch.path("no-such-rules")
        let db = scratch.path("db.sqlite")
        let ingest = try CLI.run(["ingest", "--db", db, "--rules", missing, logs])
        #expect(ingest.status == 1)
        #expect(ingest.stderr.contains("no-such-rules"), "\(ingest.stderr)")
        #expect(!ingest.stdout.contains("stored"), "nothing is ingested with a narrowed rule set")
        let detect = try CLI.run(["detect", "--db", db, "--rules", missing])
        #expect(detect.status == 1)
        let report = try CLI.run(
            ["report", "--db", db, "--allowlist", Self.allowlist, "--rules", missing, "--period", "2026-10",
             "--out", scratch.path("out"), "--now", "2026-11-02"])
        #expect(report.status == 1, "\(report.stderr)")
        let list = try CLI.run(["rules", "list", "--rules", missing])
        #expect(list.status == 1)
    }
}
