import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Reading

/// The shipped rules over Elastic's own test records (elastic/beats `01-exchange-admin.log` and the ECS documents
/// Filebeat makes of them): routine Set-Mailbox and Set-AdminAuditLogConfig records must raise nothing, the same
/// records changed to blind the audit trail must raise the right rule, and the prefilter must let those lines through.
@Suite("Rules: shipped rules over Elastic's real Exchange admin records", .enabled(if: TestPaths.externalFixtures != nil, "../shared/fixtures/external is absent"))
struct ShippedRulesFixtureTests {
    struct Record {
        var line: String
        var event: AuditEvent
    }

    /// The 100 raw lines beside their expected ECS documents, or nil when the shared fixtures are absent.
    static func records() throws -> [Record]? {
        guard let external = TestPaths.externalFixtures else { return nil }
        let folder = external.appendingPathComponent("elastic-beats")
        let log = try String(contentsOf: folder.appendingPathComponent("01-exchange-admin.log"), encoding: .utf8)
        let expected = try Data(contentsOf: folder.appendingPathComponent("01-exchange-admin.log-expected.json"))
        let documents = try JSONDecoder().decode([[String: FieldValue]].self, from: expected)
        let lines = log.split(separator: "\n").map(String.init)
        #expect(lines.count == documents.count)
        return zip(lines, documents).map { Record(line: $0, event: AuditEvent(fields: $1)) }
    }

    /// A record changed as an attacker's cmdlet would change it: one more parameter, in the raw line and in the ECS
    /// document alike.
    static func adding(_ name: String, _ value: String, to record: Record) -> Record {
        var changed = record
        changed.line = record.line.replacingOccurrences(
            of: "\"Parameters\": [", with: "\"Parameters\": [{\"Name\": \"\(name)\", \"Value\": \"\(value)\"}, ")
        changed.event[ECSField.parametersPrefix + name] = .string(value)
        return changed
    }

    static func passesPrefilter(_ line: String, _ prefilter: LinePrefilter) -> Bool {
        prefilter.matchesEverything || prefilter.literalGroups.contains { group in group.allSatisfy(line.contains) }
    }

    @Test("no shipped rule fires on the 100 routine records, and the prefilter lets none of their lines through")
    func routineRecords() throws {
        let records = try #require(try Self.records())
        let set = try DetectionFixtures.shippedRules()
        let prefilter = set.eventInterest.prefilter
        #expect(records.filter { $0.event.action == "Set-AdminAuditLogConfig" }.count == 5)
        #expect(records.filter { $0.event.action == "Set-Mailbox" }.count == 70)
        for record in records {
            let fired = set.rules.filter { $0.query.matches(record.event) }.map(\.name)
            #expect(fired.isEmpty, "\(record.event.id ?? "?"): \(fired)")
        }
        let passing = records.filter { Self.passesPrefilter($0.line, prefilter) }
        #expect(passing.isEmpty, "lines the prefilter would parse: \(passing.count)")
    }

    @Test("the same records changed to blind the audit trail raise the right rule, and pass the prefilter")
    func blindingRecords() throws {
        let records = try #require(try Self.records())
        let set = try DetectionFixtures.shippedRules()
        let prefilter = set.eventInterest.prefilter
        let adminConfig = try #require(records.first { $0.event.action == "Set-AdminAuditLogConfig" })
        let mailbox = try #require(records.first { $0.event.action == "Set-Mailbox" && $0.line.contains("\"Parameters\": [") })
        let cases: [(record: Record, signal: DetectionSignal?)] = [
            (Self.adding("UnifiedAuditLogIngestionEnabled", "False", to: adminConfig), .unifiedAuditIngestionDisabled),
            (Self.adding("UnifiedAuditLogIngestionEnabled", "True", to: adminConfig), nil),
            (Self.adding("AuditEnabled", "False", to: mailbox), .mailboxAuditDisabled),
            (Self.adding("AuditEnabled", "True", to: mailbox), nil),
            (Self.adding("AuditOwner", "Update, MoveToDeletedItems, SoftDelete, HardDelete", to: mailbox),
             .mailboxAuditActionsReduced),
            (Self.adding("AuditDelegate", "Remove=MailItemsAccessed", to: mailbox), .mailboxAuditActionsReduced),
            (Self.adding("AuditAdmin", "Update, MailItemsAccessed, HardDelete", to: mailbox), nil),
        ]
        for (record, signal) in cases {
            let fired = set.rules.filter { $0.query.matches(record.event) }.map(\.signal)
            #expect(fired == (signal.map { [$0] } ?? []), "fired \(fired), expected \(signal.map(\.rawValue) ?? "none")")
            if signal != nil {
                #expect(Self.passesPrefilter(record.line, prefilter), "the prefilter would skip a line a rule matches")
            }
        }
    }
}
