import Foundation
import Testing

import BypassAuditor
import TestSupport
@testable import Core

@Suite struct AuditEventTests {
    @Test func readsTheFieldsLaterStagesUse() throws {
        let event = AuditEvent(fields: [
            "event.id": .string("abc"), "@timestamp": .string("2026-10-21T03:14:07.000Z"),
            "event.action": .string("Set-MailboxAuditBypassAssociation"), "event.outcome": .string("failure"),
            "organization.id": .string("4A2F6C1E-8B3D-4E5F-9A0B-1C2D3E4F5A6B"),
            "o365.audit.Parameters.AuditBypassEnabled": .string("TRUE"), "user.id": .string("helpdesk-temp@contoso.com"),
        ])
        #expect(event.id == "abc")
        #expect(event.isBypassChange)
        #expect(event.outcome == .failure)
        #expect(event.bypassDirection == .enabled)
        #expect(event.tenant == TenantID("4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"))
        #expect(event.actor == "helpdesk-temp@contoso.com")
        #expect(try #require(event.timestamp).timeIntervalSince1970 == 1_792_552_447)
    }

    @Test func canonicalJSONRoundTripsAndIsStable() throws {
        let event = AuditEvent(fields: [
            "b": .list([.string("x"), .integer(2)]), "a": .bool(true), "c": .double(1.5), "d": .string("a/b\"c"),
        ])
        let json = try event.canonicalJSON()
        #expect(json == #"{"a":true,"b":["x",2],"c":1.5,"d":"a/b\"c"}"#)
        #expect(try AuditEvent(canonicalJSON: json) == event)
    }

    /// Each JSON type is read back as the kind it was written from, whichever kind the reader tries first: text that
    /// spells a number or a boolean stays text, and numbers and booleans never become text.
    @Test func canonicalJSONKeepsEveryKindApart() throws {
        let event = AuditEvent(fields: [
            "text.true": .string("true"), "text.false": .string("False"), "text.integer": .string("42"),
            "text.decimal": .string("1.5"), "text.empty": .string(""), "text.list": .string("[1]"),
            "bool.true": .bool(true), "bool.false": .bool(false), "integer": .integer(-9_007_199_254_740_993),
            "zero": .integer(0), "double": .double(0.25), "huge": .double(1e300),
            "list": .list([.string("1"), .integer(1), .bool(false), .double(2.5), .list([.string("true")])]),
            "empty.list": .list([]),
        ])
        #expect(try AuditEvent(canonicalJSON: try event.canonicalJSON()) == event)
    }

    /// An event of up to 12 fields with awkward keys and values: control characters, quotes, slashes, astral and
    /// combining characters, extreme integers and doubles, nested lists.
    static func generatedEvent(_ rng: inout SeededGenerator) -> AuditEvent {
        let pieces = [
            "", "a", "A", "é", "ß", "日本", "😀", "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}", "\"", "\\", "/", "</script>", "\n",
            "\r\n", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}", "e\u{301}", " ",
            "@timestamp", "o365.audit.Parameters.Identity", "Z", "z", "_", "~", "$true",
        ]
        let doubles: [Double] = [
            0, -0.0, 1, -1, 0.1, 1.5, 1e15, 1e16, 1e21, 1e-7, 123456.789, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .ulpOfOne, 2.5e-10, 100, 4_294_967_296.5,
        ]
        func text() -> String {
            (0..<Int.random(in: 0...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }
        func value(depth: Int) -> FieldValue {
            switch Int.random(in: 0..<(depth < 2 ? 6 : 5), using: &rng) {
            case 0, 1: return .string(text())
            case 2: return .integer(Bool.random(using: &rng) ? Int64.random(in: -1000...1000, using: &rng) : .random(in: .min ... .max, using: &rng))
            case 3: return .double(Bool.random(using: &rng) ? doubles.randomElement(using: &rng)! : .random(in: -1e9...1e9, using: &rng))
            case 4: return .bool(Bool.random(using: &rng))
            default: return .list((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth: depth + 1) })
            }
        }
        var fields: [String: FieldValue] = [:]
        for _ in 0..<Int.random(in: 0...12, using: &rng) { fields[text()] = value(depth: 0) }
        return AuditEvent(fields: fields)
    }

    /// `canonicalJSON` writes what `JSONEncoder` wrote before it (sorted keys, slashes as they are), byte for byte:
    /// documents stored by earlier versions and by this one read the same, and re-ingesting gives the same text.
    @Test func canonicalJSONIsJSONEncodersText() throws {
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rng = SeededGenerator(state: 20_261_207)
        for _ in 0..<500 {
            let event = Self.generatedEvent(&rng)
            let expected = String(decoding: try foundation.encode(event), as: UTF8.self)
            #expect(try event.canonicalJSON() == expected)
        }
    }

    /// `AuditEvent(canonicalJSON:)` reads what `JSONDecoder` read through `Codable`: for generated documents, and
    /// for every spelling of a number, a string, a boolean and a list a stored document could hold.
    @Test func readingADocumentAgreesWithJSONDecoder() throws {
        func decoded(_ text: String) -> AuditEvent? { try? JSONDecoder().decode(AuditEvent.self, from: Data(text.utf8)) }
        let numbers = [
            "0", "-0", "-0.0", "1", "100", "1E2", "1e+16", "1e21", "1.0", "1.5", "2.5e-10", "123456.789", "4294967296.5",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854777856", "1e300",
            "5e-324", "1.0000000000000001", "9007199254740993", "0.1e1", "-1E-2",
        ]
        for number in numbers {
            let text = #"{"n":\#(number),"l":[\#(number),"\#(number)"]}"#
            #expect(try AuditEvent(canonicalJSON: text) == decoded(text), "\(number)")
        }
        for text in [
            #"{}"#, #"{"a":true,"b":false,"c":"","d":[],"e":[[]]}"#, #"{"\u00e9\n":"\"\\\/\b\f\r\t\u0000"}"#,
            #" { "a" : [ 1 , "x" ] } "#, #"{"a":1,"a":"last"}"#,
        ] {
            #expect(try AuditEvent(canonicalJSON: text) == decoded(text), "\(text)")
        }
        var rng = SeededGenerator(state: 7)
        for _ in 0..<300 {
            let event = Self.generatedEvent(&rng)
            let text = try event.canonicalJSON()
            #expect(try AuditEvent(canonicalJSON: text) == decoded(text))
        }
        for refused in [#"[]"#, #""x""#, #"{"a":null}"#, #"{"a":{"b":1}}"#, #"{"a":[null]}"#, #"{"a":1"#, ""] {
            #expect(decoded(refused) == nil)
            #expect(throws: AuditEventDecodingError.self, "\(refused)") { try AuditEvent(canonicalJSON: refused) }
        }
    }

    @Test func canonicalJSONRefusesNonFiniteNumbers() {
        for number in [Double.nan, .infinity, -.infinity] {
            let event = AuditEvent(fields: ["event.id": .string("x"), "n": .list([.double(number)])])
            #expect(throws: AuditEventEncodingError.self) { try event.canonicalJSON() }
        }
    }

    @Test func elasticOutcomeMapping() {
        for status in ["Succeeded", "success", "PartiallySucceeded", "True", nil, "Whatever"] {
            #expect(EventOutcome(resultStatus: status) == .success, "\(status ?? "nil")")
        }
        for status in ["Failed", "false", "FALSE"] {
            #expect(EventOutcome(resultStatus: status) == .failure)
        }
        #expect(!EventOutcome.isRecognised(resultStatus: "Whatever"))
        #expect(!EventOutcome.isRecognised(resultStatus: nil))
        #expect(EventOutcome.isRecognised(resultStatus: "PartiallySucceeded"))
    }

    @Test func bypassDirectionReadsEveryForm() {
        #expect(BypassDirection(auditBypassEnabled: "True") == .enabled)
        #expect(BypassDirection(auditBypassEnabled: "$true") == .enabled)
        #expect(BypassDirection(auditBypassEnabled: "false") == .removed)
        #expect(BypassDirection(auditBypassEnabled: "$False") == .removed)
        #expect(BypassDirection(auditBypassEnabled: nil) == .unknown)
        #expect(BypassDirection(auditBypassEnabled: "maybe") == .unknown)
    }
}
