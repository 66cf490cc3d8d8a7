import BypassAuditor
import Foundation
import GRDB
import Testing

/// `bypass-auditor report` on databases the tests fill through the library (events, coverage) and the real `detect`.
@Suite("bypass-auditor report")
struct ReportCommandTests {
    static let tenant = "7d1c0b2a-3e4f-4a5b-8c6d-9e0f1a2b3c4d"
    static let rules = PackageRoot.url.appendingPathComponent("Policies/rules").path
    static let hostileName = "'; Remove-Mailbox -Identity x; '<img src=x onerror=alert(1)>"

    static let register = """
        version: 1
        review_interval_days: 90
        expiry_warning_days: 30
        authorized_admins:
          - exo-admin@contoso.com
        entries:
          - id: AB-0001
            account: svc-backup@contoso.com
            aliases: [svc-backup]
            category: third-party-tool
            tool: Veeam Backup for Microsoft 365
            owner: backup-team@contoso.com
            justification: Nightly backup reads every mailbox.
            approved_by: ciso@contoso.com
            approved_on: 2026-01-15
            ticket: CHG-1234
            last_reviewed_on: 2026-10-01
            expires_on: 2027-01-15

        """

    static func event(_ id: String, at time: String, identity: String, actor: String = "exo-admin@contoso.com", enable: Bool = true) -> AuditEvent {
        var event = AuditEvent()
        event[ECSField.timestamp] = .string(time)
        event[ECSField.eventID] = .string(id)
        event[ECSField.action] = .string(ECSField.bypassCmdlet)
        event[ECSField.provider] = .string("Exchange")
        event[ECSField.dataset] = .string(ECSField.o365AuditDataset)
        event[ECSField.code] = .string("ExchangeAdmin")
        event[ECSField.organizationID] = .string(tenant)
        event[ECSField.outcome] = .string("success")
        event[ECSField.resultStatus] = .string("True")
        event[ECSField.userID] = .string(actor)
        event[ECSField.parametersPrefix + "Identity"] = .string(identity)
        event[ECSField.parametersPrefix + "AuditBypassEnabled"] = .string(enable ? "True" : "False")
        return event
    }

    /// October 2026: the approved backup account, a rogue bypass by an outsider, and a hostile-named one; every day
    /// of September to November has audit data; detection has run.
    static func database(in directory: TemporaryDirectory, extra: [AuditEvent] = []) throws -> String {
        let path = directory.path("audit.sqlite")
        let database = try AuditDatabase(path: path)
        let events = [
            event("evt-backup", at: "2026-09-02T08:00:00Z", identity: "svc-backup"),
            event("evt-rogue", at: "2026-10-05T10:00:00Z", identity: "rogue-ops", actor: "mallory@contoso.com"),
            event("evt-hostile", at: "2026-10-06T10:00:00Z", identity: hostileName),
        ] + extra
        try database.write { db in
            for event in events { try EventStore.insert(db, event) }
            try db.execute(
                sql: "INSERT INTO input_file (identity, path, first_seen_at, updated_at) VALUES (?, ?, ?, ?)",
                arguments: ["test:1", "export.ndjson", "2026-11-21T00:00:00.000Z", "2026-11-21T00:00:00.000Z"])
            let days = UTCDay("2026-09-01")!...UTCDay("2026-11-30")!
            try CoverageStore.add(db, inputFileID: db.lastInsertedRowID, counts: Dictionary(uniqueKeysWithValues: days.map { ($0, 800) }))
        }
        let run = try CLI.run(["detect", "--db", path, "--rules", rules, "--now", "2026-11-21T00:00:00Z"])
        #expect(run.status == 0, "detect: \(run.stderr)")
        return path
    }

    static func report(_ db: String, _ allowlist: String, out: String, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["report", "--db", db, "--allowlist", allowlist, "--rules", rules, "--out", out, "--now", "2026-11-21T06:00:00Z"] + extra)
    }

    static func sha256sumVerifies(_ folder: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = ["-c", "--strict", "--quiet", "SHA256SUMS"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func contents(of folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            result[name] = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
        }
        return result
    }

    @Test("default run: the last complete month, every format, a verifiable manifest, a plan that removes only the unapproved")
    func writesTheMonthlyReport() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let out = directory.path("Reports")
        let result = try Self.report(db, allowlist, out: out, ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try result.json()
        #expect(summary["period"] as? String == "2026-10", "--now in November: October is the last complete month")
        #expect(summary["revision"] as? Int == 1)
        #expect(summary["folder"] as? String == out + "/2026-10")
        #expect(summary["tenant"] as? String == Self.tenant)
        #expect(summary["as_of"] as? String == "2026-10-31T23:59:59.999Z")
        #expect(summary["verdict"] as? String == "action-required")
        #expect(summary["bypassed_accounts"] as? Int == 3)
        #expect(summary["remediation_commands"] as? Int == 2)
        #expect((summary["report_id"] as? String)?.hasPrefix("BA-2026-10-r1-") == true)
        let files = try #require(summary["files"] as? [String])
        #expect(Set(files) == [
            "README.txt", "SHA256SUMS", "alerts.csv", "changes.csv", "findings.csv", "inventory.csv", "remediation.ps1", "report.html", "report.json",
            "report.md",
        ])

        let folder = out + "/2026-10"
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == Set(files))
        #expect(try Self.sha256sumVerifies(folder))

        let script = try String(contentsOfFile: folder + "/remediation.ps1", encoding: .utf8)
        #expect(script.contains("Set-MailboxAuditBypassAssociation -Identity 'rogue-ops' -AuditBypassEnabled $false"))
        #expect(script.contains("-Identity '''; Remove-Mailbox -Identity x; ''<img src=x onerror=alert(1)>' -AuditBypassEnabled $false"))
        #expect(!script.contains("svc-backup"), "the approved bypass is never in the plan")

        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))

        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/report.json"))) as? [String: Any])
        #expect(report["id"] as? String == summary["report_id"] as? String)
        let provenance = try #require(report["provenance"] as? [String: Any])
        #expect((provenance["rule_files"] as? [Any])?.isEmpty == false, "the rule digests are published")
        #expect((provenance["chain_head"] as? String)?.count == 64)
        #expect((provenance["allowlist_sha256"] as? String)?.count == 64)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["id"] as? String == "unauthorized-actor:evt-rogue" })

        let human = try Self.report(db, allowlist, out: directory.path("Human"))
        #expect(human.status == 0)
        #expect(human.stdout.contains("Wrote report BA-2026-10-r1-"))
        #expect(human.stdout.contains(directory.path("Human") + "/2026-10/"))
    }

    @Test("a rerun writes the next revision beside the first and never touches it; --force withdraws the latest, kept whole in <period>.replaced/")
    func rerunsNeverOverwrite() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let out = directory.path("Reports")
        #expect(try Self.report(db, allowlist, out: out, ["--period", "2026-10"]).status == 0)
        let first = try Self.contents(of: out + "/2026-10")

        let second = try Self.report(db, allowlist, out: out, ["--period", "2026-10", "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try second.json()["revision"] as? Int == 2)
        #expect(try second.json()["folder"] as? String == out + "/2026-10.r2")
        #expect(try Self.contents(of: out + "/2026-10") == first, "the first report is evidence: unchanged")
        #expect(try Self.sha256sumVerifies(out + "/2026-10.r2"))
        let secondFiles = try Self.contents(of: out + "/2026-10.r2")

        let forced = try Self.report(
            db, allowlist, out: out, ["--period", "2026-10", "--force", "--reason", "wrong register", "--format", "json", "--json"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try forced.json()["revision"] as? Int == 3, "a replacement is a new revision, never the old number again")
        #expect(try forced.json()["replaced_existing"] as? Bool == true)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out + "/2026-10.r3")) == ["README.txt", "SHA256SUMS", "remediation.ps1", "report.json"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out)) == ["2026-10", "2026-10.r3", "2026-10.replaced"])
        #expect(try Self.contents(of: out + "/2026-10.replaced/r2") == secondFiles, "the withdrawn revision is kept byte for byte")
        #expect(try Self.sha256sumVerifies(out + "/2026-10.replaced/r2"))
        #expect(try Self.contents(of: out + "/2026-10") == first)
    }

    @Test("the next month's report compares with the stored one: resolved, new and persisting findings by id")
    func comparesWithPreviousMonth() throws {
        let directory = try TemporaryDirectory()
        let removal = Self.event("evt-rogue-off", at: "2026-11-03T09:00:00Z", identity: "rogue-ops", enable: false)
        let db = try Self.database(in: directory, extra: [removal])
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let out = directory.path("Reports")
        let october = try Self.report(db, allowlist, out: out, ["--period", "2026-10", "--json"])
        #expect(october.status == 0, "\(october.stderr)")
        let november = try CLI.run([
            "report", "--db", db, "--allowlist", allowlist, "--rules", Self.rules, "--out", out, "--period", "2026-11",
            "--now", "2026-12-01T06:00:00Z", "--json",
        ])
        #expect(november.status == 0, "\(november.stderr)")
        #expect(try november.json()["previous_report_id"] as? String == october.json()["report_id"] as? String)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/2026-11/report.json"))) as? [String: Any])
        let comparison = try #require(report["comparison"] as? [String: Any])
        let resolved = try #require(comparison["resolved_findings"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(resolved.contains { $0.hasPrefix("unapproved-bypass:") && $0.contains("rogue-ops") })
        let removed = try #require(comparison["accounts_removed"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(removed == ["rogue-ops"])
        let trend = try #require(report["trend"] as? [[String: Any]]).compactMap { $0["period_label"] as? String }
        #expect(trend == ["2026-10", "2026-11"])
    }

    @Test("an invalid register stops the report: exit 1, the problems printed, nothing written")
    func invalidRegister() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let allowlist = try directory.write("allowlist.yaml", Self.register.replacingOccurrences(of: "    ticket:", with: "    tikcet:"))
        let out = directory.path("Reports")
        let result = try Self.report(db, allowlist, out: out)
        #expect(result.status == 1)
        #expect(result.stderr.contains("tikcet"))
        #expect(result.stderr.contains("the report does not run on an invalid register"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("usage errors: both period forms, an unknown format, a bad date")
    func usageErrors() throws {
        let directory = try TemporaryDirectory()
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let db = directory.path("empty.sqlite")
        for arguments in [["--period", "2026-10", "--from", "2026-10-01", "--to", "2026-10-02"], ["--format", "pdf"], ["--from", "2026-10-01"], ["--period", "2026-13"]] {
            let result = try Self.report(db, allowlist, out: directory.path("Reports"), arguments)
            #expect(result.status == 64 || result.status == 1, "\(arguments): \(result.status)")
            #expect(!result.stderr.isEmpty)
        }
        #expect(try Self.report(db, allowlist, out: directory.path("Reports"), ["--format", "pdf"]).stderr.contains("pdf"))
    }

    @Test("an explicit range gets its own folder name and a report of only those days")
    func explicitRange() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let out = directory.path("Reports")
        let result = try Self.report(db, allowlist, out: out, ["--from", "2026-10-01", "--to", "2026-10-05", "--format", "json,md", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try result.json()["folder"] as? String == out + "/2026-10-01..2026-10-05")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/2026-10-01..2026-10-05/report.json"))) as? [String: Any])
        let coverage = try #require(report["coverage"] as? [String: Any])
        #expect((coverage["days"] as? [Any])?.count == 5)
        #expect(try Self.sha256sumVerifies(out + "/2026-10-01..2026-10-05"))
    }
}
