import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reading

/// ECS documents Elastic already produced: nested, flattened, mixed, export lines and `_search` responses.
@Suite struct ECSDocumentReadingTests {
    @Test func nestedAndFlattenedDocumentsGiveIdenticalEvents() throws {
        let nested = try ReadingFixtures.read(ReadingFixtures.path("ecs-nested.ndjson"))
        let flattened = try ReadingFixtures.read(ReadingFixtures.path("ecs-flattened.ndjson"))
        #expect(nested.format == .ecsNDJSON)
        #expect(flattened.format == .ecsNDJSON)
        #expect(nested.errors == [] && flattened.errors == [])
        #expect(nested.events.count == 5)
        #expect(nested.events == flattened.events)

        let bypass = try #require(nested.event("a0000001-0000-4000-8000-000000000001"))
        #expect(bypass[ECSField.dataStreamDataset] == .string("o365.audit"))
        #expect(bypass[ECSField.dataset] == .string("o365.audit"))
        #expect(bypass.parameter("Identity") == "svc-backup@contoso.com")
        #expect(bypass.bypassDirection == .enabled)
        #expect(bypass["event.category"] == .strings("web"))
        #expect(bypass["@timestamp"] == .string("2026-11-21T10:44:18.000Z"))
        #expect(bypass.tenant == TenantID("3f8a2c4e-1b2d-4c5e-9f00-aabbccddeeff"))
    }

    @Test func rawParameterStringInADocumentIsReadForTheBypassCmdlet() throws {
        let nested = try ReadingFixtures.read(ReadingFixtures.path("ecs-nested.ndjson"))
        let event = try #require(nested.event("a0000001-0000-4000-8000-000000000003"))
        #expect(event[ECSField.rawParameters] != nil)
        #expect(event.parameter("Identity") == "svc backup@contoso.com")
        #expect(event.parameter("AuditBypassEnabled") == "True")
    }

    @Test func mixedDottedAndNestedKeysExportLinesAndOldDocuments() throws {
        let mixed = try ReadingFixtures.read(ReadingFixtures.path("ecs-mixed.ndjson"))
        #expect(mixed.format == .ecsNDJSON)
        #expect(mixed.errors == [])
        #expect(mixed.events.count == 4)
        let first = try #require(mixed.event("a0000001-0000-4000-8000-000000000001"))
        #expect(first[ECSField.action] == .string("Set-MailboxAuditBypassAssociation"))
        #expect(first[ECSField.provider] == .string("Exchange"))
        #expect(first.parameter("AuditBypassEnabled") == "True")
        // Nothing is invented: this document never had data_stream.dataset.
        #expect(first[ECSField.dataStreamDataset] == nil)
        #expect(first[ECSField.dataset] == .string("o365.audit"))

        // `{"_index":…, "_source": {…}}` export line: the document is its _source.
        let exported = try #require(mixed.event("a0000001-0000-4000-8000-000000000003"))
        #expect(exported[ECSField.dataStreamDataset] == .string("o365.audit"))
        #expect(exported["_index"] == nil)

        let old = try #require(mixed.event("a0000001-0000-4000-8000-000000000004"))
        #expect(old[ECSField.dataStreamDataset] == nil)
        #expect(old[ECSField.dataset] == .string("o365.audit"))
        #expect(old.outcome == .failure)
    }

    @Test func searchResponseHitsAreStreamedWithTheirLines() throws {
        let search = try ReadingFixtures.read(ReadingFixtures.path("search-response.json"))
        let nested = try ReadingFixtures.read(ReadingFixtures.path("ecs-nested.ndjson"))
        #expect(search.format == .ecsSearchResponse)
        #expect(search.errors == [])
        #expect(search.ids == Array(nested.ids.prefix(3)))
        #expect(search.events.map(\.event) == Array(nested.events.prefix(3).map(\.event)))
        // An aggregation bucket with a key called "hits" is not mistaken for the hits.
        #expect(search.records == 3)
        let lines = try String(contentsOfFile: ReadingFixtures.path("search-response.json"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        for located in search.events {
            #expect(lines[located.line - 1].trimmingCharacters(in: .whitespaces) == "{")
        }
    }

    @Test func searchResponseOnOneLineAndArraysOfDocuments() throws {
        let compact = try ReadingFixtures.write(
            #"{"took":1,"timed_out":false,"hits":{"total":{"value":1},"hits":[{"_id":"1","_source":{"@timestamp":"2026-11-21T00:00:00Z","event":{"id":"e1","action":"Set-MailboxAuditBypassAssociation"}}}]}}"#)
        let outcome = try ReadingFixtures.read(compact)
        #expect(outcome.format == .ecsSearchResponse)
        #expect(outcome.ids == ["e1"])

        let array = try ReadingFixtures.write(
            #"[{"@timestamp":"2026-11-21T00:00:00Z","event.id":"e1"},{"@timestamp":"2026-11-22T00:00:00Z","event.id":"e2"}]"#)
        let arrayOutcome = try ReadingFixtures.read(array)
        #expect(arrayOutcome.ids == ["e1", "e2"])
    }

    @Test func documentsWithoutIdOrTimeAreSkippedWithAReason() throws {
        let path = try ReadingFixtures.write(
            """
            {"@timestamp":"2026-11-21T00:00:00Z","event":{"action":"x"}}
            {"event":{"id":"e2"}}
            {"@timestamp":"yesterday","event":{"id":"e3"}}
            {"@timestamp":1795219200000,"event":{"id":"e4"}}

            """)
        let outcome = try ReadingFixtures.read(path)
        #expect(
            outcome.errors == [
                ReadError(file: path, line: 2, reason: "document e2 has no @timestamp"),
                ReadError(file: path, line: 3, reason: "document e3 has an unreadable @timestamp \"yesterday\""),
            ])
        // The document without event.id is kept, under an id derived from its content.
        #expect(outcome.ids.count == 2 && outcome.ids.last == "e4")
        #expect(outcome.ids.first.map(DerivedEventID.isDerived) == true)
        #expect(outcome.event("e4")?["@timestamp"] == .string("2026-11-21T00:00:00.000Z"))
    }
}
