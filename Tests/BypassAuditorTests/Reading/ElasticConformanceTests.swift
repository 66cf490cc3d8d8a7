import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reading

/// Runs every record of Elastic's own o365 pipeline tests (../shared/fixtures/external, see its SOURCES.md) through
/// the readers and compares the fields the spec lists with Elastic's expected output.
///
/// Where our events knowingly differ from Elastic's expected documents (each is also stated in the reader's doc):
/// - `data_stream.dataset` / `event.dataset`: set by the shipper (Filebeat's module config, the Agent's data stream),
///   not by the pipeline, so the pipeline tests' expected documents lack one or both. We always set both to
///   `o365.audit` so old (`event.dataset`) and new (`data_stream.dataset`) rule versions match.
/// - `organization.name` / `host.name`: the integration's test config maps the tenant to "mytenant.onmicrosoft.com";
///   without that configuration the record's OrganizationName is used (as Filebeat's expected output shows).
/// - `o365.audit.*`: the integration moves some keys out (Id, Operation, Workload, ClientIP…) and stringifies
///   RecordType/UserType/Version; we keep every record key as the record has it, as Filebeat does. Compared in full
///   against Filebeat's expected output; against the integration's only for ObjectId and Parameters.
/// - `event.category` / `event.type` for sign-ins: Filebeat wrote `authentication` / `authentication_success`;
///   we follow the current integration (`[web, authentication]` / `[info, start, access]`), so these are not compared
///   with Filebeat's.
/// - `server.address`: Filebeat kept the whole OriginatingServer text; the integration splits `NAME (address)` into
///   server.domain and server.address, as we do (compared with the integration only).
/// - The integration's `event.original` of the parameter-string test is not valid JSON (its inner quotes are not
///   escaped); Elastic's pipeline never parses it (it reads the `o365audit` object the Agent input produced), so the
///   reader must reject it with a position, and that test's records are normalised from `o365audit` instead.
/// - Geo/AS enrichment, `user_agent.*` parsing, `log.offset`, `fileset.name`, `input.type`, `tags`, `ecs.version`
///   of older outputs: transport or lookup data, not reproduced.
@Suite(.enabled(if: TestPaths.externalFixtures != nil, "../shared/fixtures/external is absent"))
struct ElasticConformanceTests {
    static let listedFields = [
        "@timestamp", ECSField.eventID, ECSField.action, ECSField.provider, ECSField.code, ECSField.outcome,
        ECSField.userID, ECSField.clientIP, ECSField.sourceIP, ECSField.organizationID, ECSField.objectID,
        ECSField.resultStatus, "event.kind", "user.name", "user.domain", "user.email", "network.type",
    ]

    let external: URL?

    init() {
        external = TestPaths.externalFixtures
    }

    private func requireExternal() throws -> URL? {
        let present: URL = try #require(external)
        return present
    }

    @Test func filebeatExchangeAdminLog() throws {
        guard let external = try requireExternal() else { return }
        let log = external.appendingPathComponent("elastic-beats/01-exchange-admin.log").path
        let expected = try Self.expectedDocuments(external.appendingPathComponent("elastic-beats/01-exchange-admin.log-expected.json"))
        let outcome = try ReadingFixtures.read(log)
        #expect(outcome.format == .managementAPI)
        #expect(outcome.errors == [])
        #expect(outcome.records == 100)
        try #require(outcome.events.count == expected.count)
        for (index, located) in outcome.events.enumerated() {
            #expect(located.line == index + 1)
            compare(located.event, expected[index], fields: Self.listedFields, where: "01-exchange-admin.log:\(index + 1)")
            compareSubtree("o365.audit.", located.event, expected[index], where: "01-exchange-admin.log:\(index + 1)")
            #expect(located.event[ECSField.dataset] == .string("o365.audit"))
            #expect(located.event[ECSField.dataStreamDataset] == .string("o365.audit"))
            #expect(located.event["event.module"] == expected[index]["event.module"])
            #expect(located.event["organization.name"] == expected[index]["organization.name"])
        }
        #expect(Set(outcome.events.compactMap(\.event.action)).count == 13)
    }

    @Test func filebeatStringParameters() throws {
        guard let external = try requireExternal() else { return }
        let log = external.appendingPathComponent("elastic-beats/str-params.log").path
        let expected = try Self.expectedDocuments(external.appendingPathComponent("elastic-beats/str-params.log-expected.json"))
        let outcome = try ReadingFixtures.read(log)
        #expect(outcome.errors == [])
        try #require(outcome.events.count == expected.count)
        for (index, located) in outcome.events.enumerated() {
            compare(located.event, expected[index], fields: Self.listedFields, where: "str-params.log:\(index + 1)")
            compareSubtree("o365.audit.", located.event, expected[index], where: "str-params.log:\(index + 1)")
            compare(located.event, expected[index], fields: ["client.address", "related.ip", "related.user"], where: "str-params.log:\(index + 1)")
        }
    }

    /// The integration's NDJSON log holds the same 100 records as Filebeat's (only OriginatingServer differs), so it is
    /// compared with Filebeat's expected output (the integration's own expected file for it was not copied).
    @Test func integrationExchangeAdminLog() throws {
        guard let external = try requireExternal() else { return }
        let log = external.appendingPathComponent("elastic-integrations/test-exchange-admin.log").path
        let expected = try Self.expectedDocuments(external.appendingPathComponent("elastic-beats/01-exchange-admin.log-expected.json"))
        let outcome = try ReadingFixtures.read(log)
        #expect(outcome.errors == [])
        try #require(outcome.events.count == expected.count)
        for (index, located) in outcome.events.enumerated() {
            compare(located.event, expected[index], fields: Self.listedFields, where: "test-exchange-admin.log:\(index + 1)")
            compareSubtree("o365.audit.Parameters.", located.event, expected[index], where: "test-exchange-admin.log:\(index + 1)")
            #expect(located.event["server.domain"] == .string("HE1PR0102MB3228"))
            #expect(located.event["server.ip"] == .string("15.20.207.17"))
        }
    }

    @Test func integrationAgentEvents() throws {
        guard let external = try requireExternal() else { return }
        try checkAgentEvents(
            external, input: "elastic-integrations/test-exchange-admin-events.json", expectedCount: 100, invalidOriginals: 0)
    }

    @Test func integrationStringParameters() throws {
        guard let external = try requireExternal() else { return }
        try checkAgentEvents(
            external, input: "elastic-integrations/test-parameter-string.json", expectedCount: 2, invalidOriginals: 2)
    }

    /// Elastic Agent pipeline-test input: `{"events": [{"event": {"original": "<record JSON>"}, "o365audit": {…}}]}`.
    /// Each `event.original` is written as one NDJSON line and read by the real reader.
    private func checkAgentEvents(_ external: URL, input: String, expectedCount: Int, invalidOriginals: Int) throws {
        let inputURL = external.appendingPathComponent(input)
        let root = try JSONParser.parse(String(contentsOf: inputURL, encoding: .utf8))
        let inputs = try #require(root.objectValue?["events"]?.arrayValue)
        let expectedRoot = try JSONParser.parse(String(contentsOf: URL(fileURLWithPath: inputURL.path + "-expected.json"), encoding: .utf8))
        let expected = try #require(expectedRoot.objectValue?["expected"]?.arrayValue).map {
            FieldFlattener.flatten($0.objectValue ?? JSONObject())
        }
        try #require(inputs.count == expectedCount && expected.count == expectedCount)

        let originals = inputs.map { $0.objectValue?["event"]?.objectValue?["original"]?.stringValue ?? "" }
        let path = try ReadingFixtures.write(originals.joined(separator: "\n") + "\n", name: "originals.ndjson")
        let outcome = try ReadingFixtures.read(path, format: .managementAPI)
        #expect(outcome.errors.count == invalidOriginals)
        for error in outcome.errors { #expect(error.reason.hasPrefix("malformed JSON at column ")) }

        for (index, input) in inputs.enumerated() {
            let place = "\(input):\(index + 1)"
            let event: AuditEvent
            if let located = outcome.events.first(where: { $0.line == index + 1 }) {
                event = located.event
            } else {
                // event.original is not JSON here; Elastic reads the Agent's parsed `o365audit` object instead.
                event = try ManagementRecordNormalizer.normalize(try #require(input.objectValue?["o365audit"]))
            }
            compare(event, expected[index], fields: Self.listedFields, where: place)
            compareSubtree("o365.audit.Parameters.", event, expected[index], where: place)
            compare(event, expected[index], fields: ["server.domain", "server.ip", "destination.ip", "related.ip", "host.id"], where: place)
        }
    }

    // MARK: - Comparison

    /// Expected documents in Filebeat's flattened form (a JSON array), flattened again so nested values compare too.
    static func expectedDocuments(_ url: URL) throws -> [[String: FieldValue]] {
        let root = try JSONParser.parse(String(contentsOf: url, encoding: .utf8))
        return (root.arrayValue ?? []).map { FieldFlattener.flatten($0.objectValue ?? JSONObject()) }
    }

    /// Values compare as Elasticsearch indexes them: keyword text, a single value equal to a one-element list.
    private func compare(_ event: AuditEvent, _ expected: [String: FieldValue], fields: [String], where place: String) {
        for field in fields {
            let ours = event[field]?.keywords
            let theirs = expected[field]?.keywords
            #expect(ours == theirs, "\(place) \(field): ours \(ours ?? []) vs Elastic \(theirs ?? [])")
        }
    }

    private func compareSubtree(_ prefix: String, _ event: AuditEvent, _ expected: [String: FieldValue], where place: String) {
        let keys = Set(event.fields.keys.filter { $0.hasPrefix(prefix) })
            .union(expected.keys.filter { $0.hasPrefix(prefix) })
        compare(event, expected, fields: keys.sorted(), where: place)
    }
}
