import BypassAuditor
import Foundation
import GRDB
import Testing

/// `bypass-auditor drift` on databases the tests fill through the library (events, coverage) and the real `detect`.
@Suite("bypass-auditor drift")
struct DriftCommandTests {
    static let tenant = "0b4e1c7a-6f1d-4c8e-9a55-2f7d8e3b1c90"
    static let rules = PackageRoot.url.appendingPathComponent("Policies/rules").path

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

    static func event(
        _ id: String, at time: String, identity: String, actor: String = "exo-admin@contoso.com", tenant: String = tenant
    ) -> AuditEvent {
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
        event[ECSField.parametersPrefix + "AuditBypassEnabled"] = .string("True")
        return event
    }

    static let approvedBackup = event("evt-1", at: "2026-10-01T08:00:00Z", identity: "svc-backup")
    static let rogue = event("evt-2", at: "2026-11-05T10:00:00Z", identity: "rogue-ops", actor: "mallory@contoso.com")

    /// A database with `events`, audit data on every day of `covered`, and (when `detect`) a real detection run.
    static func database(
        in directory: TemporaryDirectory, events: [AuditEvent], covered: ClosedRange<UTCDay>?, detect: Bool = true
    ) throws -> String {
        let path = directory.path("audit.sqlite")
        let database = try AuditDatabase(path: path)
        try database.write { db in
            for event in events { try EventStore.insert(db, event) }
            if let covered {
                try db.execute(
                    sql: "INSERT INTO input_file (identity, path, first_seen_at, updated_at) VALUES (?, ?, ?, ?)",
                    arguments: ["test:1", "export.ndjson", "2026-11-21T00:00:00.000Z", "2026-11-21T00:00:00.000Z"])
                let fileID = db.lastInsertedRowID
                try CoverageStore.add(
                    db, inputFileID: fileID, counts: Dictionary(uniqueKeysWithValues: covered.map { ($0, 500) }))
            }
        }
        if detect {
            let run = try CLI.run(["detect", "--db", path, "--rules", rules, "--now", "2026-11-21T00:00:00Z"])
            #expect(run.status == 0, "detect: \(run.stderr)")
        }
        return path
    }

    static let november1to20 = UTCDay("2026-11-01")!...UTCDay("2026-11-20")!

    @Test("An approved, current register with full coverage: no finding, exit 0, the documented JSON keys")
    func cleanRun() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory, events: [Self.approvedBackup], covered: Self.november1to20)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let result = try CLI.run(["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-20", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try result.json()
        #expect(Set(document.keys) == ["as_of", "period", "tenant", "findings", "controls", "tenant_notes"])
        #expect(document["tenant_notes"] as? [String] == [], "one tenant: nothing else to say")
        #expect(document["as_of"] as? String == "2026-11-20T23:59:59.999Z")
        #expect(document["tenant"] as? String == Self.tenant)
        let period = try #require(document["period"] as? [String: Any])
        #expect(period["first_day"] as? String == "2026-11-01")
        #expect(period["last_day"] as? String == "2026-11-20")
        #expect((document["findings"] as? [Any])?.isEmpty == true)
        let controls = try #require(document["controls"] as? [[String: Any]])
        #expect(controls.compactMap { $0["id"] as? String } == ["FP-1", "FP-2", "FP-3", "FP-4", "FP-5"])
        let statuses = Dictionary(uniqueKeysWithValues: controls.map { ($0["id"] as! String, $0["status"] as! String) })
        // No snapshot was imported in the period: the logs could not be reconciled, so FP-4 only warns.
        #expect(statuses == ["FP-1": "pass", "FP-2": "pass", "FP-3": "pass", "FP-4": "warn", "FP-5": "pass"])
        #expect(controls.allSatisfy { $0["finding_ids"] is [Any] && $0["title"] is String && $0["reason"] is String })
    }

    @Test("A bypass set in the period by an outsider, with no entry: critical and high findings, exit 3")
    func unapprovedRun() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory, events: [Self.approvedBackup, Self.rogue], covered: Self.november1to20)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let arguments = ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-20"]
        let result = try CLI.run(arguments + ["--json"])
        #expect(result.status == 3, "\(result.stderr)")
        let findings = try #require(try result.json()["findings"] as? [[String: Any]])
        let unapproved = try #require(findings.first)
        #expect(unapproved["kind"] as? String == "unapproved-bypass")
        #expect(unapproved["severity"] as? String == "critical")
        #expect(unapproved["account"] as? String == "rogue-ops")
        #expect((unapproved["action"] as? String)?.contains("-Identity 'rogue-ops' -AuditBypassEnabled $false") == true)
        let evidence = try #require(unapproved["evidence"] as? [[String: Any]])
        #expect(evidence.contains { $0["kind"] as? String == "event" && $0["reference"] as? String == "evt-2" })
        #expect(evidence.contains { $0["kind"] as? String == "alert" }, "detect raised the seed rule's alert")
        let unauthorized = try #require(findings.first { $0["kind"] as? String == "unauthorized-actor" })
        #expect(unauthorized["id"] as? String == "unauthorized-actor:evt-2")
        #expect(unauthorized["severity"] as? String == "high")

        let controls = try #require(try result.json()["controls"] as? [[String: Any]])
        let fp5 = try #require(controls.first { $0["id"] as? String == "FP-5" })
        #expect(fp5["status"] as? String == "warn", "the new alert is not triaged yet")

        // The same facts give the same ids on a second run.
        let again = try #require(try CLI.run(arguments + ["--json"]).json()["findings"] as? [[String: Any]])
        #expect(again.compactMap { $0["id"] as? String } == findings.compactMap { $0["id"] as? String })

        #expect(try CLI.run(arguments + ["--fail-on", "critical"]).status == 3)
        #expect(try CLI.run(arguments + ["--fail-on", "none"]).status == 0)
        let human = try CLI.run(arguments)
        #expect(human.status == 3)
        #expect(human.stdout.contains("Findings: 1 critical, 1 high"))
        #expect(human.stdout.contains("CRITICAL  unapproved-bypass:"))
        #expect(human.stdout.contains("FP-1  FAIL"))
    }

    @Test("Days without data are one grouped coverage gap: medium, so exit 3 only with --fail-on medium")
    func coverageGap() throws {
        let directory = try TemporaryDirectory()
        let covered = UTCDay("2026-11-01")!...UTCDay("2026-11-09")!
        let db = try Self.database(in: directory, events: [Self.approvedBackup], covered: covered)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let arguments = ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-20", "--json"]
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let findings = try #require(try result.json()["findings"] as? [[String: Any]])
        #expect(findings.compactMap { $0["id"] as? String } == ["coverage-gap:2026-11-10..2026-11-20"])
        #expect(try CLI.run(arguments + ["--fail-on", "medium"]).status == 3)
    }

    @Test("--period YYYY-MM judges that month, as of its last instant")
    func periodOption() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory, events: [Self.approvedBackup], covered: nil, detect: false)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let result = try CLI.run(["drift", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try result.json()
        #expect(document["as_of"] as? String == "2026-10-31T23:59:59.999Z")
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.compactMap { $0["id"] as? String } == ["coverage-gap:2026-10-01..2026-10-31"])
        let controls = try #require(document["controls"] as? [[String: Any]])
        #expect(controls.first { $0["id"] as? String == "FP-5" }?["status"] as? String == "fail", "detection never ran")

        let both = try CLI.run(["drift", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--from", "2026-10-01"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("either --period or --from/--to"))
    }

    @Test("An invalid register: exit 1, every problem printed with file:line:col, nothing judged")
    func invalidRegister() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory, events: [Self.approvedBackup], covered: Self.november1to20, detect: false)
        let broken = Self.register.replacingOccurrences(of: "    ticket: CHG-1234\n", with: "    tikcet: CHG-1234\n")
            + Self.register.components(separatedBy: "entries:\n")[1]
        let allowlist = try directory.write("allowlist.yaml", broken)
        let result = try CLI.run(["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-20", "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let errorLines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") && $0.hasPrefix(allowlist + ":") }
        #expect(errorLines.count >= 2, "\(result.stderr)")
        #expect(result.stderr.contains("tikcet"))
        #expect(result.stderr.contains("AB-0001"))
        #expect(result.stderr.contains("drift does not run on an invalid register"))

        let database = try AuditDatabase(path: db)
        let versions = try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM allowlist_version") }
        #expect(versions == 1, "the run still stores the register version it saw")

        let missing = try CLI.run(["drift", "--db", db, "--allowlist", directory.path("nope.yaml")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.yaml"))
    }

    @Test("Several tenants need --tenant; names never mix across them")
    func tenants() throws {
        let directory = try TemporaryDirectory()
        let other = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
        let db = try Self.database(
            in: directory,
            events: [Self.approvedBackup, Self.event("evt-9", at: "2026-11-02T00:00:00Z", identity: "svc-backup", tenant: other)],
            covered: Self.november1to20)
        let allowlist = try directory.write("allowlist.yaml", Self.register)
        let arguments = ["drift", "--db", db, "--allowlist", allowlist, "--as-of", "2026-11-20", "--json"]
        let ambiguous = try CLI.run(arguments)
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("--tenant"))
        let chosen = try CLI.run(arguments + ["--tenant", other])
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(try chosen.json()["tenant"] as? String == other)
    }
}
