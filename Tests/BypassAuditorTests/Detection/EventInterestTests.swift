import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection

@Suite("Rules: what ingest must keep (prefilter literals and matcher)")
struct EventInterestTests {
    @Test("each shipped rule's literal groups: only verbatim fields, alternatives as separate groups")
    func shippedRuleGroups() throws {
        let set = try DetectionFixtures.shippedRules()
        let expected: [String: [[String]]] = [
            "O365 Mailbox Audit Logging Bypass": [["Exchange", "Set-MailboxAuditBypassAssociation"]],
            "O365 Mailbox Audit Bypass Association Attempt Failed": [["Exchange", "Set-MailboxAuditBypassAssociation"]],
            "O365 Mailbox Auditing Disabled for a Mailbox": [
                ["AuditEnabled", "Exchange", "False", "Set-Mailbox"],
                ["AuditEnabled", "Exchange", "Set-Mailbox", "false"],
            ],
            "O365 Mailbox Audited Actions Reduced": [
                ["AuditAdmin", "Exchange", "Set-Mailbox"],
                ["AuditDelegate", "Exchange", "Set-Mailbox"],
                ["AuditOwner", "Exchange", "Set-Mailbox"],
            ],
            "O365 Mailbox Auditing Disabled for the Organisation": [
                ["AuditDisabled", "Exchange", "Set-OrganizationConfig", "True"],
                ["AuditDisabled", "Exchange", "Set-OrganizationConfig", "true"],
            ],
            "O365 Unified Audit Log Ingestion Disabled": [
                ["Exchange", "False", "Set-AdminAuditLogConfig", "UnifiedAuditLogIngestionEnabled"],
                ["Exchange", "Set-AdminAuditLogConfig", "UnifiedAuditLogIngestionEnabled", "false"],
            ],
        ]
        for rule in set.rules {
            let literals = KQLRequiredLiterals(rule.query.expression)
            #expect(literals.sortedGroups == expected[rule.name], "\(rule.name)")
            #expect(!literals.matchesEverything, "\(rule.name)")
        }
        let interest = set.eventInterest
        #expect(!interest.prefilter.matchesEverything)
        #expect(interest.prefilter.literalGroups.first == [ECSField.bypassCmdlet], "the bypass cmdlet alone always")
        #expect(interest.prefilter.literalGroups.count == 1 + 1 + 2 + 3 + 2 + 2)
        #expect(interest.ruleSetDigest == set.digest)
        #expect(interest.ruleIDs == set.rules.map(\.ruleID).sorted())
    }

    @Test("the upstream files need the same literals as the seed rule", .enabled(if: DetectionFixtures.upstreamRuleFiles != nil, "../shared/fixtures/external/detection-rules is absent"))
    func upstreamGroups() throws {
        for file in try #require(DetectionFixtures.upstreamRuleFiles) {
            let rule = try #require(try RuleSet.load(from: file.path).rules.first)
            #expect(
                KQLRequiredLiterals(rule.query.expression).sortedGroups
                    == [["Exchange", "Set-MailboxAuditBypassAssociation"]])
        }
    }

    static let groupCases: [(query: String, groups: [[String]])] = [
        ("event.action:Set-Mailbox", [["Set-Mailbox"]]),
        ("event.dataset:o365.audit", [[]]),
        ("data_stream.dataset:o365.audit and event.outcome:success and event.code:ExchangeAdmin", [[]]),
        ("event.kind:event and event.category:web and event.type:info and event.module:o365", [[]]),
        ("@timestamp > now-1d", [[]]),
        ("not event.action:Set-Mailbox", [[]]),
        ("event.action:(Set-Mailbox or Set-User)", [["Set-Mailbox"], ["Set-User"]]),
        ("event.action:Set-Mailbox or event.dataset:o365.audit", [[]]),
        ("event.action:Set-* and user.id:admin@contoso.com", [["admin@contoso.com"]]),
        ("user.id:\"NT AUTHORITY\\\\SYSTEM\"", [[]]),
        ("o365.audit.ObjectId:\"a/b\"", [[]]),
        ("o365.audit.Parameters.Identity:\"Tom & Jerry\"", [["Identity"]]),
        ("o365.audit.Parameters.AuditEnabled:*", [["AuditEnabled"]]),
        ("o365.audit.Parameters._raw:*AuditEnabled*", [[]]),
        ("o365.audit.RecordType:1", [[]]),
        ("organization.id:b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd", [[]]),
        ("Set-Mailbox", [[]]),
        ("event.action:Set-Mailbox and (o365.audit.Parameters.A:x or o365.audit.Parameters.B:y)",
         [["A", "Set-Mailbox", "x"], ["B", "Set-Mailbox", "y"]]),
        ("event.action:Set-Mailbox or event.action:Set-MailboxAuditBypassAssociation",
         [["Set-Mailbox"], ["Set-MailboxAuditBypassAssociation"]]),
        ("event.action:Set-Mailbox and (event.provider:Exchange or event.action:Set-Mailbox)", [["Set-Mailbox"]]),
        ("event.action:Ünïcode", [[]]),
    ]

    @Test("literal groups for each kind of term", arguments: groupCases.indices)
    func groups(_ index: Int) throws {
        let testCase = Self.groupCases[index]
        let literals = KQLRequiredLiterals(try KQLQuery(testCase.query).expression)
        #expect(literals.sortedGroups == testCase.groups, "\(testCase.query)")
        #expect(literals.matchesEverything == (testCase.groups == [[]]), "\(testCase.query)")
    }

    @Test("a conjunction of many alternatives stays small and sound")
    func groupCap() throws {
        let fields = (1...6).map { "o365.audit.Parameters.P\($0):(a\($0) or b\($0))" }
        let query = try KQLQuery("event.action:Set-Mailbox and " + fields.joined(separator: " and "))
        let literals = KQLRequiredLiterals(query.expression)
        #expect(literals.groups.count <= KQLRequiredLiterals.maximumGroups)
        #expect(!literals.matchesEverything)
    }

    @Test("one rule with nothing to search for makes ingest parse every line")
    func matchesEverything() throws {
        let set = RuleSet(rules: [
            try DetectionFixtures.rule(id: "a", query: "event.action:Set-Mailbox"),
            try DetectionFixtures.rule(id: "b", query: "event.dataset:o365.audit and event.outcome:failure"),
        ])
        #expect(set.eventInterest.prefilter.matchesEverything)
    }

    @Test("the matcher keeps what any rule matches")
    func matcher() throws {
        let interest = try DetectionFixtures.shippedRules().eventInterest
        let disabled = DetectionFixtures.event(id: "1", action: "Set-Mailbox", parameters: ["AuditEnabled": "False"])
        let harmless = DetectionFixtures.event(id: "2", action: "Set-Mailbox", parameters: ["ProhibitSendQuota": "99 GB"])
        let failedBypass = DetectionFixtures.bypass(id: "3", enabled: true, outcome: .failure)
        #expect(interest.matches(disabled))
        #expect(!interest.matches(harmless))
        #expect(interest.matches(failedBypass))
        #expect(interest.keeps(DetectionFixtures.bypass(id: "4", enabled: nil)))
        #expect(!interest.keeps(harmless))
    }
}
