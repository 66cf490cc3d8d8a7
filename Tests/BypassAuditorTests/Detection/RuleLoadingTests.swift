import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection

@Suite("Rules: loading Elastic detection-rules TOML")
struct RuleLoadingTests {
    @Test("the shipped rules load without a problem, each with its severity and signal")
    func shippedRules() throws {
        let set = try DetectionFixtures.shippedRules()
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.warnings.isEmpty, "\(set.warnings)")
        let expected: [String: (Severity, Int, DetectionSignal)] = [
            "O365 Mailbox Audit Logging Bypass": (.medium, 47, .bypassChange),
            "O365 Mailbox Audit Bypass Association Attempt Failed": (.low, 21, .bypassFailedAttempt),
            "O365 Mailbox Auditing Disabled for a Mailbox": (.medium, 47, .mailboxAuditDisabled),
            "O365 Mailbox Audited Actions Reduced": (.high, 73, .mailboxAuditActionsReduced),
            "O365 Mailbox Auditing Disabled for the Organisation": (.critical, 99, .organizationAuditDisabled),
            "O365 Unified Audit Log Ingestion Disabled": (.critical, 99, .unifiedAuditIngestionDisabled),
        ]
        #expect(Set(set.rules.map(\.name)) == Set(expected.keys))
        for rule in set.rules {
            guard let (severity, risk, signal) = expected[rule.name] else { continue }
            #expect(rule.severity == severity, "\(rule.name)")
            #expect(rule.riskScore == risk, "\(rule.name)")
            #expect(rule.signal == signal, "\(rule.name)")
            #expect(!rule.signalInferred, "\(rule.name) declares its signal")
            // The declared signal and the one read from the query agree, so an Elastic copy of the rule without
            // our key would be understood the same way.
            #expect(DetectionSignal.inferred(from: rule.query) == signal, "\(rule.name)")
            #expect(rule.timestampOverride == "event.ingested", "\(rule.name)")
            #expect(rule.note?.isEmpty == false, "\(rule.name) has an investigation guide")
            #expect(!rule.falsePositives.isEmpty, "\(rule.name) lists false positives")
        }
        #expect(set.files.count == 6)
        #expect(set.files.allSatisfy { $0.status == .loaded })
    }

    @Test("the seed rule is the seed document, as data")
    func seedRule() throws {
        let rule = try #require(try DetectionFixtures.shippedRules().rule(id: DetectionFixtures.seedRuleID))
        #expect(rule.name == "O365 Mailbox Audit Logging Bypass")
        #expect(
            rule.query.text.trimmingCharacters(in: .whitespacesAndNewlines)
                == "event.dataset:o365.audit and event.provider:Exchange and event.action:Set-MailboxAuditBypassAssociation and event.outcome:success"
        )
        #expect(rule.riskScore == 47)
        #expect(rule.severity == .medium)
        #expect(rule.interval.seconds == 300)
        #expect(rule.lookBack.text == "now-30m")
        #expect(rule.lookBack.lookBack == 1800)
        #expect(rule.maxSignals == 100)
        #expect(rule.techniqueIDs.contains("T1562.001"))
        #expect(rule.threats.first?.tactic.id == "TA0005")
        #expect(rule.version == 207)
        #expect(rule.index == ["filebeat-*", "logs-o365*"])
        #expect(rule.note?.contains("Possible investigation steps") == true)
        #expect(rule.note?.contains("trial and error by an attacker") == true)
        #expect(rule.falsePositives.contains { $0.contains("Removals") }, "says that removals match too")
    }

    @Test("Elastic's own rule files load unchanged, each as the bypass rule", .enabled(if: DetectionFixtures.upstreamRuleFiles != nil, "../shared/fixtures/external/detection-rules is absent"))
    func upstreamFiles() throws {
        let files = try #require(DetectionFixtures.upstreamRuleFiles)
        for file in files {
            let set = try RuleSet.load(from: file.path)
            #expect(set.errors.isEmpty, "\(file.lastPathComponent): \(set.errors)")
            let rule = try #require(set.rules.first)
            #expect(rule.ruleID == DetectionFixtures.seedRuleID)
            #expect(rule.signal == .bypassChange)
            #expect(rule.signalInferred)
            #expect(rule.lookBack.text == "now-9m")
            #expect(rule.interval == DetectionRule.defaultInterval, "no interval in the file: Elastic's default")
            #expect(rule.maxSignals == 100, "no max_signals in the file: Elastic's default")
            #expect(rule.timestampOverride == "event.ingested")
            #expect(rule.otherKeys["metadata.integration"] == .array([.string("o365")]))
            #expect(rule.techniqueIDs.contains("T1562.001"))
            #expect(set.files.first?.digest == (try SHA256Digest.hex(ofFile: file.path)))
        }
    }

    @Test("two files with one rule_id: the newer updated_date wins and the older is named as shadowed", .enabled(if: DetectionFixtures.upstreamRuleFiles != nil, "../shared/fixtures/external/detection-rules is absent"))
    func upstreamDuplicate() throws {
        let files = try #require(DetectionFixtures.upstreamRuleFiles)
        let folder = try DetectionFixtures.folder([:])
        for file in files {
            try FileManager.default.copyItem(
                atPath: file.path, toPath: (folder as NSString).appendingPathComponent(file.lastPathComponent))
        }
        let set = try RuleSet.load(from: folder)
        #expect(set.rules.count == 1)
        #expect(set.rules.first?.name == "M365 Exchange Mailbox Audit Logging Bypass Added")
        #expect(set.rules.first?.updatedDate == UTCDay("2026-04-10"))
        let warning = try #require(set.warnings.first)
        #expect(warning.file == "defense_evasion_microsoft_365_mailboxauditbypassassociation.toml")
        #expect(warning.reason.contains("defense_evasion_exchange_mailbox_audit_bypass_association.toml"))
        #expect(warning.reason.contains("shadowed"))
        let statuses = Dictionary(uniqueKeysWithValues: set.files.map { ($0.path, $0.status) })
        #expect(statuses["defense_evasion_microsoft_365_mailboxauditbypassassociation.toml"] == .shadowed)
        #expect(statuses["defense_evasion_exchange_mailbox_audit_bypass_association.toml"] == .loaded)
    }

    @Test("the seed rule and both upstream versions fire on exactly the same bypass events")
    func sameBypassEvents() throws {
        var queries = [try #require(try DetectionFixtures.shippedRules().rule(id: DetectionFixtures.seedRuleID)).query]
        for file in DetectionFixtures.upstreamRuleFiles ?? [] {
            queries.append(try #require(try RuleSet.load(from: file.path).rules.first).query)
        }
        let events = [
            DetectionFixtures.bypass(id: "added", enabled: true),
            DetectionFixtures.bypass(id: "removed", enabled: false),
            DetectionFixtures.bypass(id: "unknown", enabled: nil),
            DetectionFixtures.bypass(id: "failed", enabled: true, outcome: .failure),
            DetectionFixtures.event(id: "other", action: "Set-Mailbox", parameters: ["AuditEnabled": "False"]),
        ]
        let expected: Set<String> = ["added", "removed", "unknown"]
        for query in queries {
            let fired = Set(events.filter { query.matches($0) }.compactMap(\.id))
            #expect(fired == expected, "\(query.text)")
        }
    }

    @Test("absent interval, from and max_signals take Elastic's defaults; unknown keys are kept")
    func defaultsAndUnknownKeys() throws {
        let text = DetectionFixtures.ruleText(
            extra: """
                setup = "Install the o365 integration."
                related_integrations = [{ package = "o365", version = "^2.0.0" }]
                """,
            trailer: """

                [transform]
                [[transform.osquery]]
                label = "Example"
                """)
        let rule = try RuleFileParser(displayName: "defaults.toml", text: text, digest: "0").parse()
        #expect(rule.interval.seconds == 300)
        #expect(rule.lookBack.text == "now-6m")
        #expect(rule.maxSignals == 100)
        #expect(rule.timestampOverride == nil)
        #expect(rule.otherKeys["rule.setup"] == .string("Install the o365 integration."))
        #expect(rule.otherKeys["rule.related_integrations"] != nil)
        #expect(rule.otherKeys["transform"] != nil)
        #expect(rule.creationDate == UTCDay("2026-11-01"), "creation_date is read, not carried")
    }

    static let badFiles: [(name: String, text: String, key: String?, reason: String)] = [
        ("broken-toml.toml", "[rule\nname = 1", nil, "not valid TOML"),
        ("no-rule-table.toml", "[metadata]\ncreation_date = \"2026/11/01\"\n", "rule", "the [rule] table is missing"),
        ("no-id.toml", DetectionFixtures.ruleText(id: ""), "rule.rule_id", "is empty"),
        ("risk-text.toml", DetectionFixtures.ruleText().replacingOccurrences(of: "risk_score = 47", with: "risk_score = \"high\""),
         "rule.risk_score", "must be an integer, found a string"),
        ("risk-range.toml", DetectionFixtures.ruleText().replacingOccurrences(of: "risk_score = 47", with: "risk_score = 150"),
         "rule.risk_score", "must be between 0 and 100"),
        ("severity.toml", DetectionFixtures.ruleText().replacingOccurrences(of: "severity = \"medium\"", with: "severity = \"urgent\""),
         "rule.severity", "must be low, medium, high or critical"),
        ("eql.toml", DetectionFixtures.ruleText().replacingOccurrences(of: "type = \"query\"", with: "type = \"eql\""),
         "rule.type", "only query rules are supported"),
        ("lucene.toml", DetectionFixtures.ruleText().replacingOccurrences(of: "language = \"kuery\"", with: "language = \"lucene\""),
         "rule.language", "only KQL"),
        ("query.toml", DetectionFixtures.ruleText(query: "event.action:(a or b"), "rule.query", "invalid KQL"),
        ("interval.toml", DetectionFixtures.ruleText(extra: "interval = \"5 minutes\""), "rule.interval", "must be a duration"),
        ("from.toml", DetectionFixtures.ruleText(extra: "from = \"yesterday\""), "rule.from", "must be date math"),
        ("max-signals.toml", DetectionFixtures.ruleText(extra: "max_signals = 0"), "rule.max_signals", "must be at least 1"),
        ("tags.toml", DetectionFixtures.ruleText(extra: "tags = \"Domain: Cloud\""), "rule.tags", "must be an array of strings"),
        ("tag-item.toml", DetectionFixtures.ruleText(extra: "tags = [\"ok\", 3]"), "rule.tags[1]", "must be a string"),
        ("updated.toml", DetectionFixtures.ruleText(metadata: "updated_date = \"last week\""), "metadata.updated_date", "must be a date"),
        ("signal.toml", DetectionFixtures.ruleText(trailer: "[bypass_auditor]\nsignal = \"bypass\""), "bypass_auditor.signal",
         "must be one of"),
    ]

    @Test("each bad file is reported with its file, key and reason, and never stops the good ones")
    func badFiles() throws {
        var files = ["good.toml": DetectionFixtures.ruleText(id: "good-rule")]
        for bad in Self.badFiles { files[bad.name] = bad.text }
        let set = try RuleSet.load(from: try DetectionFixtures.folder(files))
        #expect(set.rules.map(\.ruleID) == ["good-rule"])
        #expect(set.errors.count == Self.badFiles.count)
        for bad in Self.badFiles {
            let error = try #require(set.errors.first { $0.file == bad.name }, "\(bad.name) not reported")
            #expect(error.key == bad.key, "\(bad.name): \(error)")
            #expect(error.reason.contains(bad.reason), "\(bad.name): \(error)")
            #expect(set.files.first { $0.path == bad.name }?.status == .invalid)
        }
    }

    @Test("a TOML error and a query error point at the line and column in the file")
    func positions() throws {
        let set = try RuleSet.load(
            from: try DetectionFixtures.folder([
                "broken-toml.toml": "[rule]\nname = \"x\nrule_id = 1\n",
                "query.toml": DetectionFixtures.ruleText(query: "event.action:Set-Mailbox and )"),
            ]))
        let toml = try #require(set.errors.first { $0.file == "broken-toml.toml" })
        #expect(toml.line == 2)
        #expect(toml.column != nil)
        let query = try #require(set.errors.first { $0.file == "query.toml" })
        // ruleText puts `query = '''` on line 14, so the query's first line is line 15 of the file.
        #expect(query.line == 15)
        #expect(query.column == 30)
        #expect(query.description.hasPrefix("query.toml:15:30: rule.query: invalid KQL at column 30: unexpected ')'"))
    }

    @Test("duplicates without dates: the higher version wins; equal ones: the first by name, with a warning")
    func duplicatesByVersion() throws {
        let set = try RuleSet.load(
            from: try DetectionFixtures.folder([
                "a.toml": DetectionFixtures.ruleText(id: "dup", name: "Old", extra: "version = 3"),
                "b.toml": DetectionFixtures.ruleText(id: "dup", name: "New", extra: "version = 4"),
                "c.toml": DetectionFixtures.ruleText(id: "twin", name: "First"),
                "d.toml": DetectionFixtures.ruleText(id: "twin", name: "Second"),
                "e.toml": DetectionFixtures.ruleText(id: "dated", name: "Dated old", extra: "version = 9", metadata: "updated_date = \"2025/01/01\""),
                "f.toml": DetectionFixtures.ruleText(id: "dated", name: "Dated new", extra: "version = 1", metadata: "updated_date = \"2026/01/01\""),
            ]))
        #expect(set.rule(id: "dup")?.name == "New")
        #expect(set.rule(id: "twin")?.name == "First")
        #expect(set.rule(id: "dated")?.name == "Dated new", "updated_date decides before version")
        #expect(Set(set.warnings.map(\.file)) == ["a.toml", "d.toml", "e.toml"])
        #expect(set.warnings.first { $0.file == "d.toml" }?.reason.contains("first by name") == true)
    }

    @Test("the digest covers the files in use, independent of where the folder is")
    func digests() throws {
        let files = [
            "one.toml": DetectionFixtures.ruleText(id: "one"),
            "sub/two.toml": DetectionFixtures.ruleText(id: "two"),
            "broken.toml": "not toml [",
            ".hidden/three.toml": DetectionFixtures.ruleText(id: "three"),
        ]
        let first = try RuleSet.load(from: try DetectionFixtures.folder(files))
        let second = try RuleSet.load(from: try DetectionFixtures.folder(files))
        #expect(first.digest == second.digest)
        #expect(first.rules.map(\.ruleID).sorted() == ["one", "two"], "hidden folders are skipped")
        #expect(first.fileDigests["sub/two.toml"] == SHA256Digest.hex(of: files["sub/two.toml"]!))
        #expect(first.fileDigests["broken.toml"] == nil, "a file not in use is not in the digest")
        let manifest = "\(SHA256Digest.hex(of: files["one.toml"]!))  one.toml\n\(SHA256Digest.hex(of: files["sub/two.toml"]!))  sub/two.toml\n"
        #expect(first.digest == SHA256Digest.hex(of: manifest))

        var changed = files
        changed["one.toml"] = DetectionFixtures.ruleText(id: "one", name: "Renamed")
        #expect(try RuleSet.load(from: try DetectionFixtures.folder(changed)).digest != first.digest)
    }

    @Test("a missing rules folder is an error naming it")
    func missingFolder() {
        #expect(throws: RuleLoadError.self) { try RuleSet.load(from: "/nonexistent/rules") }
    }
}
