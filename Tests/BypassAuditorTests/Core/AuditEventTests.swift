import Foundation
import Testing

import BypassAuditor
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
