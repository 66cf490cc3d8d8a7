import Foundation
import Testing

import BypassAuditor
@testable import Core

/// Raw Management Activity API records → ECS events, field by field as Elastic's o365 pipeline maps them.
@Suite struct ManagementRecordReadingTests {
    let outcome: ReadOutcome

    init() throws {
        outcome = try ReadingFixtures.read(ReadingFixtures.path("api-records.ndjson"))
    }

    @Test func detectsTheFormatAndReadsEveryRecord() {
        #expect(outcome.format == .managementAPI)
        #expect(outcome.errors == [])
        #expect(outcome.records == 7)
        #expect(outcome.ids.count == 7)
        #expect(outcome.events.map(\.line) == Array(1...7))
    }

    @Test func bypassEnableWithNameValueParameters() throws {
        let event = try #require(outcome.event("a0000001-0000-4000-8000-000000000001"))
        #expect(event["@timestamp"] == .string("2026-11-21T10:44:18.123Z"))
        #expect(event[ECSField.action] == .string("Set-MailboxAuditBypassAssociation"))
        #expect(event[ECSField.provider] == .string("Exchange"))
        #expect(event[ECSField.code] == .string("ExchangeAdmin"))
        #expect(event[ECSField.outcome] == .string("success"))
        #expect(event[ECSField.resultStatus] == .string("True"))
        #expect(event[ECSField.userID] == .string("admin@contoso.onmicrosoft.com"))
        #expect(event["user.name"] == .string("admin"))
        #expect(event["user.domain"] == .string("contoso.onmicrosoft.com"))
        #expect(event[ECSField.organizationID] == .string("3f8a2c4e-1b2d-4c5e-9f00-aabbccddeeff"))
        #expect(event["host.id"] == .string("3f8a2c4e-1b2d-4c5e-9f00-aabbccddeeff"))
        #expect(event["organization.name"] == .string("contoso.onmicrosoft.com"))
        #expect(event["host.name"] == .string("contoso.onmicrosoft.com"))
        #expect(event.parameter("Identity") == "svc-backup@contoso.com")
        #expect(event.parameter("AuditBypassEnabled") == "True")
        #expect(event.bypassDirection == .enabled)
        #expect(event[ECSField.dataset] == .string("o365.audit"))
        #expect(event[ECSField.dataStreamDataset] == .string("o365.audit"))
        #expect(event["event.module"] == .string("o365"))
        #expect(event["event.kind"] == .string("event"))
        #expect(event["event.category"] == .strings("web"))
        #expect(event["event.type"] == .strings("info"))
        #expect(event[ECSField.objectID] == .string(""))
        #expect(event["o365.audit.RecordType"] == .integer(1))
        #expect(event["o365.audit.UserType"] == .integer(2))
        #expect(event["o365.audit.Id"] == .string("a0000001-0000-4000-8000-000000000001"))
        // OriginatingServer "AM0PR01MB1234 (192.0.2.10)\r\n": name and address split, line break dropped.
        #expect(event["server.domain"] == .string("AM0PR01MB1234"))
        #expect(event["server.ip"] == .string("192.0.2.10"))
        #expect(event["destination.ip"] == .string("192.0.2.10"))
        #expect(event["related.ip"] == .strings("2001:db8::5", "192.0.2.10"))
    }

    @Test func clientAddressForms() throws {
        let bracketed = try #require(outcome.event("a0000001-0000-4000-8000-000000000001"))
        #expect(bracketed["client.ip"] == .string("2001:db8::5"))
        #expect(bracketed["client.port"] == .integer(51234))
        #expect(bracketed["source.ip"] == .string("2001:db8::5"))
        #expect(bracketed["network.type"] == .string("ipv6"))

        let withPort = try #require(outcome.event("a0000001-0000-4000-8000-000000000002"))
        #expect(withPort["client.ip"] == .string("203.0.113.7"))
        #expect(withPort["client.address"] == .string("203.0.113.7"))
        #expect(withPort["source.port"] == .integer(443))
        #expect(withPort["network.type"] == .string("ipv4"))

        let mapped = try #require(outcome.event("a0000001-0000-4000-8000-000000000003"))
        #expect(mapped["client.ip"] == .string("198.51.100.23"))
        #expect(mapped["source.ip"] == .string("198.51.100.23"))

        let actorOnly = try #require(outcome.event("a0000001-0000-4000-8000-000000000006"))
        #expect(actorOnly["client.ip"] == .string("192.0.2.44"))
    }

    @Test func parameterOrderDoesNotMatter() throws {
        let removed = try #require(outcome.event("a0000001-0000-4000-8000-000000000002"))
        #expect(removed.parameter("Identity") == "svc-backup@contoso.com")
        #expect(removed.parameter("AuditBypassEnabled") == "False")
        #expect(removed.parameter("Confirm") == "False")
        #expect(removed.bypassDirection == .removed)
        #expect(removed[ECSField.outcome] == .string("success"))
        #expect(removed.originalStatus == "Succeeded")
    }

    @Test func stringParametersAreKeptRawAndReadForTheBypassCmdlet() throws {
        let event = try #require(outcome.event("a0000001-0000-4000-8000-000000000003"))
        #expect(
            event[ECSField.rawParameters]
                == .string("-Identity \"svc backup@contoso.com\" -AuditBypassEnabled:$true -Confirm:$false"))
        #expect(event.parameter("Identity") == "svc backup@contoso.com")
        #expect(event.parameter("AuditBypassEnabled") == "True")
        #expect(event.bypassDirection == .enabled)
        // RecordType and UserType given as strings: still ExchangeAdmin, and kept as given under o365.audit.
        #expect(event[ECSField.code] == .string("ExchangeAdmin"))
        #expect(event["o365.audit.RecordType"] == .string("1"))
        #expect(event["o365.audit.UserType"] == .string("2"))
        // 23:59:59.9999999Z stays on the 23rd (milliseconds are truncated, never rounded into the next day).
        #expect(event["@timestamp"] == .string("2026-11-23T23:59:59.999Z"))
    }

    @Test func failedAttemptIsAFailure() throws {
        let event = try #require(outcome.event("a0000001-0000-4000-8000-000000000004"))
        #expect(event.outcome == .failure)
        #expect(event.originalStatus == "Failed")
    }

    @Test func nullParameterValuesAreDroppedAndPartialSuccessIsSuccess() throws {
        let event = try #require(outcome.event("a0000001-0000-4000-8000-000000000005"))
        #expect(event.parameter("ForwardingSmtpAddress") == "smtp:drop@example.net")
        #expect(event["o365.audit.Parameters.Comment"] == nil)
        #expect(event.outcome == .success)
    }

    @Test func signInRecordsGetTheirTypeAndObjectArraysIndexLikeElasticsearch() throws {
        let event = try #require(outcome.event("a0000001-0000-4000-8000-000000000006"))
        #expect(event[ECSField.code] == .string("AzureActiveDirectoryStsLogon"))
        #expect(event["event.category"] == .strings("web", "authentication"))
        #expect(event["event.type"] == .strings("info", "start", "access"))
        #expect(event["o365.audit.Actor.ID"] == .strings("alice@contoso.com", "0f0f0f0f"))
        #expect(event["o365.audit.Actor.Type"] == .list([.integer(5), .integer(0)]))
        #expect(event["related.user"] == .strings("alice"))
    }

    @Test func unknownRecordTypeLeavesCodeUnsetAndMissingStatusReadsAsSuccess() throws {
        let event = try #require(outcome.event("a0000001-0000-4000-8000-000000000007"))
        #expect(event[ECSField.code] == nil)
        #expect(event["o365.audit.RecordType"] == .integer(9999))
        #expect(event.outcome == .success)
        #expect(event.originalStatus == nil)
        #expect(event["@timestamp"] == .string("2026-11-25T01:02:03.000Z"))
    }

    @Test func coverageCountsEveryRecordByUTCDay() {
        let days = outcome.coverage.map { ($0.key.description, $0.value) }.sorted { $0.0 < $1.0 }
        #expect(days.map(\.0) == ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25"])
        #expect(days.map(\.1) == [3, 1, 1, 1, 1])
    }

    @Test func contentBlobArrayGivesTheSameEvents() throws {
        let blob = try ReadingFixtures.read(ReadingFixtures.path("api-content-blob.json"))
        #expect(blob.format == .managementAPI)
        #expect(blob.errors == [])
        #expect(blob.ids == Array(outcome.ids.prefix(3)))
        for located in blob.events {
            #expect(located.event == outcome.event(located.event.id ?? ""))
        }
        // Pretty-printed: each record's line is the line its opening brace is on.
        #expect(blob.events.map(\.line) == [2, 29, 58])
    }
}
