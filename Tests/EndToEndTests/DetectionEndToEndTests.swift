import BypassAuditor
import Foundation
import Testing

/// The real binary over a database the test fills: `detect --json`, `--ndjson`, reruns, `alerts` and `alerts ack`.
@Suite("End to end: detect and alerts")
struct DetectionEndToEndTests {
    static let tenant = "b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd"
    static let rules = PackageRoot.url.appendingPathComponent("Policies/rules").path

    static func bypass(id: String, enabled: Bool, outcome: String = "success", at time: String) -> AuditEvent {
        AuditEvent(fields: [
            "@timestamp": .string(time),
            "event.id": .string(id),
            "event.action": .string("Set-MailboxAuditBypassAssociation"),
            "event.provider": .string("Exchange"),
            "event.dataset": .string("o365.audit"),
            "data_stream.dataset": .string("o365.audit"),
            "event.outcome": .string(outcome),
            "user.id": .string("admin@contoso.com"),
            "organization.id": .string(tenant),
            "o365.audit.ObjectId": .string("svc-backup@contoso.com"),
            "o365.audit.Parameters.Identity": .string("svc-backup"),
            "o365.audit.Parameters.AuditBypassEnabled": .string(enabled ? "True" : "False"),
        ])
    }

    /// A database with two bypass changes and a failed attempt, in a fresh folder.
    static func filledDatabase() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.path("audit.sqlite")
        let database = try AuditDatabase(path: path)
        try database.write { db in
            try EventStore.insert(db, bypass(id: "add-1", enabled: true, at: "2026-11-21T10:00:00Z"))
            try EventStore.insert(db, bypass(id: "remove-1", enabled: false, at: "2026-11-22T10:00:00Z"))
            try EventStore.insert(db, bypass(id: "fail-1", enabled: true, outcome: "failure", at: "2026-11-23T10:00:00Z"))
        }
        return (directory, path)
    }

    @Test("detect --json raises each alert once and marks which run raised it")
    func detectJSON() throws {
        let (directory, database) = try Self.filledDatabase()
        let first = try CLI.run(
            ["detect", "--db", database, "--rules", Self.rules, "--now", "2026-11-23T12:00:00Z", "--json"],
            in: directory.url)
        #expect(first.status == 0, "\(first.stderr)")
        let json = try first.json()
        let run = try #require(json["run"] as? [String: Any])
        #expect(run["alerts_raised"] as? Int == 3)
        #expect(run["events_evaluated"] as? Int == 3)
        #expect(run["mode"] as? String == "catch-up")
        #expect(run["now"] as? String == "2026-11-23T12:00:00.000Z")
        let alerts = try #require(json["alerts"] as? [[String: Any]])
        #expect(alerts.count == 3)
        #expect(alerts.allSatisfy { $0["new"] as? Bool == true })
        let byEvent = Dictionary(uniqueKeysWithValues: alerts.map { ($0["event_id"] as? String ?? "", $0) })
        #expect(byEvent["add-1"]?["direction"] as? String == "enabled")
        #expect(byEvent["remove-1"]?["direction"] as? String == "removed")
        #expect((byEvent["remove-1"]?["direction_explanation"] as? String)?.contains("bypass removed") == true)
        #expect(byEvent["add-1"]?["rule_name"] as? String == "O365 Mailbox Audit Logging Bypass")
        #expect(byEvent["add-1"]?["risk_score"] as? Int == 47)
        #expect(byEvent["add-1"]?["severity"] as? String == "medium")
        #expect(byEvent["add-1"]?["actor"] as? String == "admin@contoso.com")
        #expect(byEvent["add-1"]?["target"] as? String == "svc-backup")
        #expect(byEvent["add-1"]?["object_id"] as? String == "svc-backup@contoso.com")
        #expect(byEvent["add-1"]?["event_time"] as? String == "2026-11-21T10:00:00.000Z")
        #expect(byEvent["fail-1"]?["signal"] as? String == "bypass-failed-attempt")
        #expect(byEvent["fail-1"]?["outcome"] as? String == "failure")
        let ruleSet = try #require(json["rule_set"] as? [String: Any])
        #expect((ruleSet["digest"] as? String)?.count == 64)
        #expect((ruleSet["files"] as? [[String: Any]])?.count == 6)

        let second = try CLI.run(["detect", "--db", database, "--rules", Self.rules, "--json"], in: directory.url)
        #expect(second.status == 0, "\(second.stderr)")
        let again = try second.json()
        #expect((again["run"] as? [String: Any])?["alerts_raised"] as? Int == 0)
        let listed = try #require(again["alerts"] as? [[String: Any]])
        #expect(listed.count == 3)
        #expect(listed.allSatisfy { $0["new"] as? Bool == false })
    }

    @Test("detect --ndjson writes one indexable document per new alert")
    func detectNDJSON() throws {
        let (directory, database) = try Self.filledDatabase()
        let result = try CLI.run(["detect", "--db", database, "--rules", Self.rules, "--ndjson"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(document["kibana.alert.rule.name"] is String)
            #expect(document["kibana.alert.rule.uuid"] is String)
            #expect(document["kibana.alert.severity"] is String)
            #expect(document["kibana.alert.risk_score"] is Int)
            #expect(document["kibana.alert.original_time"] is String)
            #expect(document["event.action"] as? String == "Set-MailboxAuditBypassAssociation")
            #expect(document["o365.audit.Parameters.Identity"] as? String == "svc-backup")
        }
        #expect(result.stderr.contains("3 new alerts"))
        let rerun = try CLI.run(["detect", "--db", database, "--rules", Self.rules, "--ndjson"], in: directory.url)
        #expect(rerun.stdout.isEmpty, "nothing new the second time")
    }

    @Test("alerts lists, alerts ack triages, and the listing shows it")
    func alertsAndAck() throws {
        let (directory, database) = try Self.filledDatabase()
        let human = try CLI.run(["detect", "--db", database, "--rules", Self.rules], in: directory.url)
        #expect(human.status == 0)
        #expect(human.stdout.contains("NEW #1"))
        #expect(human.stdout.contains("bypass added"))
        #expect(human.stdout.contains("3 new alerts"))

        let listing = try CLI.run(["alerts", "--db", database, "--json"], in: directory.url)
        #expect(listing.status == 0, "\(listing.stderr)")
        let json = try listing.json()
        #expect(json["count"] as? Int == 3)
        #expect(json["open"] as? Int == 3)
        let first = try #require((json["alerts"] as? [[String: Any]])?.first)
        let id = try #require(first["id"] as? Int)

        let ack = try CLI.run(
            ["alerts", "ack", String(id), "--db", database, "--by", "soc-analyst", "--note", "approved backup (CHG-42)"],
            in: directory.url)
        #expect(ack.status == 0, "\(ack.stderr)")
        let after = try CLI.run(["alerts", "--db", database, "--json"], in: directory.url).json()
        #expect(after["open"] as? Int == 2)
        #expect(after["triaged"] as? Int == 1)
        let triaged = try #require((after["alerts"] as? [[String: Any]])?.first { $0["id"] as? Int == id })
        #expect(triaged["status"] as? String == "triaged")
        let triage = try #require(triaged["triage"] as? [String: Any])
        #expect(triage["by"] as? String == "soc-analyst")
        #expect(triage["note"] as? String == "approved backup (CHG-42)")

        let open = try CLI.run(["alerts", "--db", database, "--status", "open"], in: directory.url)
        #expect(open.stdout.contains("3 alerts") == false)
        #expect(open.stdout.contains("2 alerts: 2 open, 0 triaged."))

        let missing = try CLI.run(["alerts", "ack", "999", "--db", database, "--by", "x", "--note", "y"], in: directory.url)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no alert with id 999"))
    }

    @Test("a bad rule file is reported on stderr, the others still run, and the exit status says so")
    func badRuleFile() throws {
        let (directory, database) = try Self.filledDatabase()
        let rules = directory.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.rules) where name.hasSuffix(".toml") {
            try FileManager.default.copyItem(
                atPath: (Self.rules as NSString).appendingPathComponent(name),
                toPath: (rules as NSString).appendingPathComponent(name))
        }
        _ = try directory.write("rules/broken.toml", "[rule]\nrule_id = \"x\"\nrisk_score = \"high\"\n")
        let result = try CLI.run(["detect", "--db", database, "--rules", rules, "--json"], in: directory.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.toml"))
        let json = try result.json()
        #expect((json["run"] as? [String: Any])?["alerts_raised"] as? Int == 3)
        let errors = try #require((json["rule_set"] as? [String: Any])?["errors"] as? [[String: Any]])
        #expect(errors.first?["file"] as? String == "broken.toml")
    }

    @Test("detect --scheduled runs one scheduled execution at --now: windows over event.ingested")
    func scheduled() throws {
        let (directory, database) = try Self.filledDatabase()
        // Two hours from now, events ingested just now are outside every shipped rule's 30-minute look-back.
        let later = UTCTimestamp.format(Date().addingTimeInterval(7200))
        let early = try CLI.run(
            ["detect", "--db", database, "--rules", Self.rules, "--scheduled", "--now", later, "--json"],
            in: directory.url)
        #expect(early.status == 0, "\(early.stderr)")
        let earlyRun = try #require(try early.json()["run"] as? [String: Any])
        #expect(earlyRun["mode"] as? String == "scheduled")
        #expect(earlyRun["alerts_raised"] as? Int == 0)
        #expect((earlyRun["deferred"] as? Int ?? 0) >= 3)

        let due = try CLI.run(
            ["detect", "--db", database, "--rules", Self.rules, "--scheduled", "--json"], in: directory.url)
        #expect((try due.json()["run"] as? [String: Any])?["alerts_raised"] as? Int == 3)
        let human = try CLI.run(["detect", "--db", database, "--rules", Self.rules], in: directory.url)
        #expect(human.stdout.contains("0 new alerts"))
    }

    @Test("usage errors: --json with --ndjson, an unreadable --now")
    func usage() throws {
        let directory = try TemporaryDirectory()
        let both = try CLI.run(["detect", "--json", "--ndjson", "--rules", Self.rules], in: directory.url)
        #expect(both.status == 64)
        let badNow = try CLI.run(["detect", "--now", "yesterday", "--rules", Self.rules], in: directory.url)
        #expect(badNow.status == 64)
        #expect(badNow.stderr.contains("--now"))
    }
}
