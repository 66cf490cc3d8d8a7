import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Store

/// Builders shared by the detection tests: events shaped as the readers normalise them, rules, databases.
enum DetectionFixtures {
    static let tenant = "b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd"
    static let seedRuleID = "675239ea-c1bc-4467-a6d3-b9e2cc7f676d"
    static let base = UTCTimestamp.parse("2026-11-21T10:00:00Z")!

    /// An Exchange admin event as the readers produce it (both dataset fields, as issue 2 requires).
    static func event(
        id: String, action: String = ECSField.bypassCmdlet, outcome: EventOutcome = .success,
        parameters: [String: String] = [:], at time: Date = base, actor: String = "admin@contoso.com",
        tenant: String = tenant
    ) -> AuditEvent {
        var fields: [String: FieldValue] = [
            "@timestamp": .string(UTCTimestamp.format(time)),
            "event.id": .string(id),
            "event.action": .string(action),
            "event.provider": .string("Exchange"),
            "event.code": .string("ExchangeAdmin"),
            "event.dataset": .string("o365.audit"),
            "data_stream.dataset": .string("o365.audit"),
            "event.outcome": .string(outcome.rawValue),
            "event.kind": .string("event"),
            "user.id": .string(actor),
            "organization.id": .string(tenant),
            "o365.audit.ResultStatus": .string(outcome == .failure ? "False" : "True"),
            "o365.audit.Operation": .string(action),
        ]
        for (name, value) in parameters {
            fields["o365.audit.Parameters." + name] = .string(value)
        }
        if let identity = parameters["Identity"] {
            fields["o365.audit.ObjectId"] = .string(identity)
        }
        return AuditEvent(fields: fields)
    }

    /// A bypass change: `enabled` true adds the bypass, false removes it, nil leaves the parameter out.
    static func bypass(
        id: String, enabled: Bool?, outcome: EventOutcome = .success, at time: Date = base,
        identity: String = "svc-backup@contoso.com"
    ) -> AuditEvent {
        var parameters = ["Identity": identity]
        if let enabled { parameters["AuditBypassEnabled"] = enabled ? "True" : "False" }
        return event(id: id, outcome: outcome, parameters: parameters, at: time)
    }

    /// A fresh database file in a temporary folder.
    static func database() throws -> AuditDatabase {
        let folder = try TestPaths.temporaryDirectory()
        return try AuditDatabase(path: folder.appendingPathComponent("test.sqlite").path)
    }

    static func insert(_ events: [AuditEvent], into database: AuditDatabase, ingestedAt: Date = base) throws {
        try database.write { db in
            for event in events { try EventStore.insert(db, event, ingestedAt: ingestedAt) }
        }
    }

    /// The repository's shipped rules.
    static func shippedRules() throws -> RuleSet {
        try RuleSet.load(from: TestPaths.packageRoot.appendingPathComponent("Policies/rules").path)
    }

    /// A rule file's text with the given `[rule]` lines (everything a valid query rule needs by default).
    static func ruleText(
        id: String = "11111111-2222-3333-4444-555555555555", name: String = "Test rule",
        query: String = "event.action:Set-MailboxAuditBypassAssociation", extra: String = "", metadata: String = "",
        trailer: String = ""
    ) -> String {
        """
        [metadata]
        creation_date = "2026/11/01"
        \(metadata)

        [rule]
        rule_id = "\(id)"
        name = "\(name)"
        description = "A rule written by a test."
        type = "query"
        language = "kuery"
        risk_score = 47
        severity = "medium"
        \(extra)
        query = '''
        \(query)
        '''
        \(trailer)
        """
    }

    /// A rule parsed from `ruleText`.
    static func rule(
        id: String = "11111111-2222-3333-4444-555555555555", query: String, extra: String = "", file: String = "test.toml"
    ) throws -> DetectionRule {
        try RuleFileParser(displayName: file, text: ruleText(id: id, query: query, extra: extra), digest: "0").parse()
    }

    /// Writes files into a fresh folder and returns its path.
    static func folder(_ files: [String: String]) throws -> String {
        let folder = try TestPaths.temporaryDirectory()
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder.path
    }

    /// Elastic's two released versions of the bypass rule, when the shared fixtures are present.
    static var upstreamRuleFiles: [URL]? {
        guard let external = TestPaths.externalFixtures else { return nil }
        let folder = external.appendingPathComponent("detection-rules")
        let names = [
            "defense_evasion_exchange_mailbox_audit_bypass_association.toml",
            "defense_evasion_microsoft_365_mailboxauditbypassassociation.toml",
        ]
        let urls = names.map { folder.appendingPathComponent($0) }
        return urls.allSatisfy { FileManager.default.fileExists(atPath: $0.path) } ? urls : nil
    }
}
