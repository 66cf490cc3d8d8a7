import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reading

/// The prefilter cannot be walked around: a record that spells a literal through JSON escapes, or a line cut short,
/// is decided by a parse, while good irrelevant lines are still skipped unparsed.
@Suite struct PrefilterEvasionTests {
    static let forwarding = LinePrefilter(literalGroups: [["Set-Mailbox", "ForwardingSmtpAddress"]])

    static func line(_ id: String, operation: String, parameters: String = #"[{"Name":"Identity","Value":"j.doe"}]"#, day: Int = 21)
        -> String
    {
        #"{"CreationTime":"2026-10-\#(day)T03:14:07","Id":"\#(id)","Operation":"\#(operation)","OrganizationId":"t","RecordType":1,"ResultStatus":"True","UserId":"x@contoso.com","Workload":"Exchange","Parameters":\#(parameters)}"#
    }

    @Test func aLiteralSpelledThroughJSONEscapesIsParsedAndKept() throws {
        let lines = [
            Self.line("plain", operation: "MailItemsAccessed"),
            Self.line("escaped-bypass", operation: #"Set-MailboxAuditBypass\u0041ssociation"#,
                parameters: #"[{"Name":"Identity","Value":"j.doe"},{"Name":"AuditBypassEnabled","Value":"True"}]"#),
            // Every character escaped, and a surrogate pair elsewhere on the line.
            Self.line("all-escaped", operation: "Set-MailboxAuditBypassAssociation".unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined(),
                parameters: #"[{"Name":"Identity","Value":"\ud83d\ude00"},{"Name":"AuditBypassEnabled","Value":"True"}]"#),
            Self.line("escaped-rule", operation: #"Set-M\u0061ilbox"#, parameters: #"[{"Name":"Forwarding\u0053mtpAddress","Value":"x"}]"#),
            // An escape that spells nothing of interest: still skipped unparsed.
            Self.line("decoy", operation: #"New-InboxRule"#, parameters: #"[{"Name":"Name","Value":"caf\u00e9"}]"#),
        ]
        let path = try ReadingFixtures.write(lines.joined(separator: "\n") + "\n")
        let fast = try ReadingFixtures.read(path, prefilter: Self.forwarding, mode: .fast)
        #expect(fast.errors == [])
        #expect(fast.ids == ["escaped-bypass", "all-escaped", "escaped-rule"])
        #expect(fast.events.filter(\.event.isBypassChange).count == 2)
        #expect(fast.records == 5)
        let validate = try ReadingFixtures.read(path, prefilter: Self.forwarding, mode: .validate)
        #expect(fast.coverage == validate.coverage)
    }

    @Test func escapesAreDecodedAsAJSONParserReadsThem() {
        func decoded(_ text: String) -> String {
            var copy = text
            return copy.withUTF8 { String(decoding: JSONEscapeDecoding.decoded(UnsafeRawBufferPointer($0)), as: UTF8.self) }
        }
        #expect(decoded(#"Bypass\u0041ssociation"#) == "BypassAssociation")
        #expect(decoded(#"a\"b\\c\/d\n"#) == "a\"b\\c/d\n")
        #expect(decoded(#"\ud83d\ude00!"#) == "😀!")
        // Malformed escapes stay as written.
        #expect(decoded(#"\u00G1 \u12"#) == #"\u00G1 \u12"#)
    }

    @Test func aTruncatedLineWithoutLiteralsIsReportedWhileGoodLinesAreNotParsed() throws {
        let good = (1...3).map { Self.line("g\($0)", operation: "MailItemsAccessed") }
        let truncated = String(Self.line("cut", operation: "MailItemsAccessed").prefix(90))
        let unterminatedTail = String(Self.line("tail", operation: "UserLoggedIn").prefix(120))
        let path = try ReadingFixtures.write(
            [good[0], truncated, good[1], good[2]].joined(separator: "\n") + "\n" + unterminatedTail)
        let fast = try ReadingFixtures.read(path, prefilter: .bypassOnly, mode: .fast)
        #expect(fast.errors.map(\.line) == [2, 5], "\(fast.errors)")
        // The good lines were counted for coverage without being handed over as parsed events.
        #expect(fast.events.isEmpty)
        #expect(fast.records == 3)
        #expect(fast.coverage == [UTCDay(year: 2026, month: 10, day: 21)!: 3])
    }
}

/// The first line scan looks for a few cover needles only; lines they flag are scanned for every literal.
@Suite struct PrefilterCoverTests {
    /// Groups shaped like the bundled rules': every rule names its cmdlet, several share `Set-Mailbox`.
    static let ruleLikeGroups = [
        ["Exchange", "Set-Mailbox", "AuditOwner"], ["Exchange", "Set-Mailbox", "AuditDelegate"],
        ["AuditEnabled", "Exchange", "False", "Set-Mailbox"], ["AuditDisabled", "Exchange", "Set-OrganizationConfig", "True"],
        ["Exchange", "False", "Set-AdminAuditLogConfig", "UnifiedAuditLogIngestionEnabled"],
    ]

    @Test func theCoverIsSmallAndEveryGroupHoldsOneOfItsNeedles() {
        let prefilter = CompiledPrefilter(LinePrefilter(literalGroups: Self.ruleLikeGroups))
        let cover = prefilter.coverNeedles.map { String(decoding: $0.bytes, as: UTF8.self) }
        // Every rule names a `Set-` cmdlet, so the verb alone covers them all.
        #expect(cover == ["Set-", #"\u"#])
        for group in Self.ruleLikeGroups + [["Set-MailboxAuditBypassAssociation"]] {
            #expect(group.contains { literal in cover.contains { literal.contains($0) } }, "\(group)")
        }
    }

    @Test func withoutASharedVerbTheCoverTakesTheLiteralsCoveringMostGroups() {
        let groups = [
            ["Exchange", "Remove-MailboxPermission", "FullAccess"], ["Exchange", "Add-MailboxPermission", "FullAccess"],
            ["SharePoint", "FileDownloaded"],
        ]
        let prefilter = CompiledPrefilter(LinePrefilter(literalGroups: groups))
        let cover = prefilter.coverNeedles.map { String(decoding: $0.bytes, as: UTF8.self) }
        // `Exchange` and `FullAccess` each cover the first two groups; the longer one is taken. The bypass cmdlet's
        // group, which every prefilter holds, shares no verb with the others here, so it is a needle of its own.
        #expect(cover == ["FullAccess", "Set-MailboxAuditBypassAssociation", "FileDownloaded", #"\u"#])
    }

    @Test func gatesAreRunsSeveralGroupsShareOutsideTheCover() {
        func gates(_ groups: [[String]], cover: [String]) -> [String] {
            CompiledPrefilter.gates(
                groups: groups.map { $0.map { ByteNeedle($0) } }, excluding: cover.map { ByteNeedle($0) }
            ).map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        // `Audit` is in a literal of every group, the bypass cmdlet's too; `Set-` is the cover, so no gate.
        #expect(gates(Self.ruleLikeGroups + [["Set-MailboxAuditBypassAssociation"]], cover: ["Set-"]) == ["Audit"])
        // Without a shared run no gate: each group's own literals are searched as before.
        #expect(gates([["Exchange", "FullAccess"], ["SharePoint", "FileDownloaded"]], cover: ["FullAccess", "FileDownloaded"]) == [])
        // Two groups sharing a run, a third on its own: one gate for the two, the longest shared run (first in byte
        // order among equals).
        #expect(gates([["MailboxPermission", "Add-"], ["MailboxPermission", "Remove-"], ["SharePoint"]], cover: ["Add-", "Remove-", "SharePoint"])
            == ["MailboxP"])
    }

    /// A gate only ever rejects a line that lacks one of the group's literals: lines holding every literal of a group
    /// match, whichever gate they pass, and lines that lack one do not.
    @Test func aLineIsRejectedByAGateOnlyWhenItLacksALiteral() {
        let prefilter = CompiledPrefilter(LinePrefilter(literalGroups: Self.ruleLikeGroups))
        func matches(_ text: String) -> Bool {
            var copy = text
            return copy.withUTF8 { prefilter.matches(flagged: true, mayHoldEscapes: true, line: UnsafeRawBufferPointer($0)) }
        }
        #expect(matches(PrefilterEvasionTests.line("a", operation: "Set-Mailbox", parameters: #"[{"Name":"AuditOwner","Value":"x"}]"#)))
        #expect(matches(PrefilterEvasionTests.line("b", operation: "Set-Mailbox", parameters: #"[{"Name":"AuditEnabled","Value":"False"}]"#)))
        #expect(matches(PrefilterEvasionTests.line("c", operation: "Set-OrganizationConfig", parameters: #"[{"Name":"AuditDisabled","Value":"True"}]"#)))
        #expect(matches(PrefilterEvasionTests.line("d", operation: "Set-MailboxAuditBypassAssociation")))
        #expect(!matches(PrefilterEvasionTests.line("e", operation: "Set-Mailbox", parameters: #"[{"Name":"ProhibitSendQuota","Value":"49 GB"}]"#)))
        // The gate is there, the group's other literal is not.
        #expect(!matches(PrefilterEvasionTests.line("f", operation: "Set-Mailbox", parameters: #"[{"Name":"AuditEnabled","Value":"True"}]"#)))
        // Escapes are undone only for a line the scan saw the `\u` marker in.
        let escaped = PrefilterEvasionTests.line("g", operation: #"Set-MailboxAuditBypass\u0041ssociation"#)
        #expect(matches(escaped))
        var copy = escaped
        #expect(!copy.withUTF8 { prefilter.matches(flagged: true, mayHoldEscapes: false, line: UnsafeRawBufferPointer($0)) })
    }

    /// On a corpus where one line in three has `Set-Mailbox`, the fast path keeps exactly what a full parse keeps.
    @Test func fastAndValidateAgreeWithACoverScan() throws {
        var lines: [String] = []
        for index in 1...600 {
            let day = 1 + index % 28
            let time = "2026-10-\(day < 10 ? "0" : "")\(day)T10:00:00"
            let (operation, parameters): (String, String) = switch index % 9 {
            case 0: ("Set-Mailbox", #"[{"Name":"AuditEnabled","Value":"False"}]"#)
            case 1, 2: ("Set-Mailbox", #"[{"Name":"ForwardingSmtpAddress","Value":"smtp:x@example.net"}]"#)
            case 3: ("Set-OrganizationConfig", #"[{"Name":"AuditDisabled","Value":"True"}]"#)
            case 4: ("Set-MailboxAuditBypassAssociation", #"[{"Name":"Identity","Value":"svc\#(index)"},{"Name":"AuditBypassEnabled","Value":"True"}]"#)
            case 5: ("Set-AdminAuditLogConfig", #"[{"Name":"UnifiedAuditLogIngestionEnabled","Value":"False"}]"#)
            default: ("MailItemsAccessed", #"[{"Name":"Folder","Value":"Inbox"}]"#)
            }
            lines.append(#"{"CreationTime":"\#(time)","Id":"e\#(index)","Operation":"\#(operation)","RecordType":1,"Workload":"Exchange","Parameters":\#(parameters)}"#)
        }
        let path = try ReadingFixtures.write(lines.joined(separator: "\n") + "\n")
        let prefilter = LinePrefilter(literalGroups: Self.ruleLikeGroups)
        let fast = try ReadingFixtures.read(path, prefilter: prefilter, mode: .fast)
        let validate = try ReadingFixtures.read(path, prefilter: prefilter, mode: .validate)
        let operations: Set<String> = ["Set-OrganizationConfig", "Set-MailboxAuditBypassAssociation", "Set-AdminAuditLogConfig"]
        func kept(_ event: AuditEvent) -> Bool {
            operations.contains(event.action ?? "") || event.parameter("AuditEnabled") != nil
        }
        #expect(fast.errors == [] && validate.errors == [])
        #expect(fast.events.filter { kept($0.event) } == validate.events.filter { kept($0.event) })
        #expect(fast.events.filter { kept($0.event) }.count == 267)
        // The forwarding lines (Set-Mailbox without an audit literal) were flagged by the cover but not parsed.
        #expect(!fast.events.contains { $0.event.parameter("ForwardingSmtpAddress") != nil })
        #expect(fast.coverage == validate.coverage && fast.records == 600)
    }
}
