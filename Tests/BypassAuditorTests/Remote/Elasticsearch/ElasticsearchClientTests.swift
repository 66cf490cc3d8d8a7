import Foundation
import GRDB
import TestSupport
import Testing

import BypassAuditor
@testable import Detection
@testable import Ingest
@testable import Remote
@testable import Store

/// The cluster client and the ingest/delivery use cases against `ElasticsearchTestServer` (a real HTTP server on
/// 127.0.0.1 that evaluates the query it receives): point-in-time paging, fallback without one, expiry, errors,
/// retries, bulk per-item outcomes.
@Suite("Elasticsearch: client against a test cluster")
struct ElasticsearchClientTests {
    static let quick = RemoteHTTPConfiguration.loopback(
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .seconds(1)))
    static let index = "logs-o365.audit-default"
    static let base = DetectionFixtures.base

    /// Six bypass records and six unrelated ones, a minute apart, as ECS documents (dotted keys, as Filebeat writes).
    static func cluster(auth: String? = nil) async throws -> ElasticsearchTestServer {
        let server = try await ElasticsearchTestServer(requiredAuthorization: auth)
        for index in 0..<12 {
            let time = base.addingTimeInterval(Double(index) * 60)
            let event = index.isMultiple(of: 2)
                ? DetectionFixtures.bypass(id: "bypass-\(index)", enabled: true, at: time)
                : DetectionFixtures.event(id: "other-\(index)", action: "MailItemsAccessed", at: time)
            var source: [String: JSONTree] = [:]
            for (name, value) in event.fields { source[name] = value.jsonTree }
            server.add(.object(source), index: Self.index)
        }
        return server
    }

    static func ingest(
        _ server: ElasticsearchTestServer, database: AuditDatabase, pageSize: Int = 2, credentials: ElasticsearchCredentials? = nil,
        index: String = "logs-o365*"
    ) async throws -> IngestSummary {
        try await withRemoteHTTPClient(quick) { http in
            let client = ElasticsearchClient(http: http, baseURL: server.baseURL, credentials: credentials)
            return try await ElasticsearchIngest(
                client: client, database: database, interest: .bypassOnly, rules: [],
                options: .init(index: index, since: base.addingTimeInterval(-3600), until: base.addingTimeInterval(3600), pageSize: pageSize)
            ).run(now: base.addingTimeInterval(7200))
        }
    }

    static func storedIDs(_ database: AuditDatabase) throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT event_id FROM event ORDER BY event_id") }
    }

    @Test("pages with a point in time and search_after: every bypass record once, the PIT closed, the query evaluated")
    func pagesWithPointInTime() async throws {
        let server = try await Self.cluster()
        let database = try DetectionFixtures.database()
        let summary = try await Self.ingest(server, database: database)
        #expect(summary.eventsStored == 6)
        #expect(summary.records == 6, "the cluster returned only what the query matched: the six bypass records")
        #expect(try Self.storedIDs(database) == (0..<6).map { "bypass-\($0 * 2)" }.sorted())
        let paths = server.requests.map { "\($0.method) \($0.path)" }
        #expect(paths.contains("POST /logs-o365*/_pit"))
        #expect(paths.contains("DELETE /_pit"))
        #expect(server.openPointsInTime == 0)
        let pages = server.requests.filter { $0.path == "/_search" }
        #expect(pages.count == 4, "six hits in pages of two, then the empty page that ends the read")
        #expect(try JSONTree.parse(pages[0].body)["pit"]?["keep_alive"] == "5m")
        #expect(try JSONTree.parse(pages[1].body)["search_after"] != nil)
        // Coverage: the per-day count aggregation counts all twelve documents of the day.
        let coverage = try database.read { db in try Int.fetchOne(db, sql: "SELECT SUM(records) FROM coverage") }
        #expect(coverage == 12)

        let again = try await Self.ingest(server, database: database)
        #expect(again.eventsStored == 0, "a second run stores nothing new")
        #expect(again.duplicates == 6)
        await server.stop()
    }

    @Test("an expired point in time is reopened and the read goes on without loss or duplicates")
    func reopensExpiredPointInTime() async throws {
        let server = try await Self.cluster()
        let database = try DetectionFixtures.database()
        // Every point in time expires once the first page has been answered.
        server.expirePointsInTime(afterSearches: 1)
        let summary = try await Self.ingest(server, database: database, pageSize: 2)
        #expect(try Self.storedIDs(database) == (0..<6).map { "bypass-\($0 * 2)" }.sorted())
        #expect(summary.eventsStored == 6, "nothing lost")
        #expect(server.requests.filter { $0.path == "/logs-o365*/_pit" }.count == 2, "opened, then reopened once")
        await server.stop()
    }

    @Test("without the point-in-time API, pages use search_after on @timestamp and event.id")
    func fallsBackWithoutPointInTime() async throws {
        let server = try await Self.cluster()
        server.disablePointInTime()
        let database = try DetectionFixtures.database()
        let summary = try await Self.ingest(server, database: database)
        #expect(summary.eventsStored == 6)
        let pages = server.requests.filter { $0.path == "/logs-o365*/_search" && $0.body.count > 0 }
        let sorts = try pages.compactMap { try JSONTree.parse($0.body)["sort"] }
        #expect(!sorts.isEmpty)
        #expect(sorts.allSatisfy { $0.jsonText().contains("event.id") })
        await server.stop()
    }

    @Test("401 and 404 name the problem and the index pattern; credentials go only into Authorization")
    func errors() async throws {
        let server = try await Self.cluster(auth: "ApiKey " + Data("key-id:key-secret".utf8).base64EncodedString())
        let database = try DetectionFixtures.database()
        await #expect(throws: ElasticsearchError.self) {
            _ = try await Self.ingest(server, database: database)
        }
        do {
            _ = try await Self.ingest(server, database: database, credentials: .apiKey(Secret("wrong")))
            Issue.record("a refused key must fail")
        } catch let error as ElasticsearchError {
            guard case .unauthorized = error else { Issue.record("expected 401, got \(error)"); return }
            #expect(!error.description.contains("wrong"))
        }
        do {
            _ = try await Self.ingest(
                server, database: database, credentials: .apiKey(Secret("key-id:key-secret")), index: "no-such-index")
            Issue.record("a missing index must fail")
        } catch let error as ElasticsearchError {
            guard case .indexNotFound(let index, _) = error else { Issue.record("expected 404, got \(error)"); return }
            #expect(index == "no-such-index")
            #expect(error.description.contains("no-such-index"))
        }
        let summary = try await Self.ingest(server, database: database, credentials: .apiKey(Secret("key-id:key-secret")))
        #expect(summary.eventsStored == 6)
        await server.stop()
    }

    @Test("403 names the index pattern the key may not read")
    func forbidden() async throws {
        let server = try await Self.cluster()
        server.forbid(index: "logs-o365*")
        let database = try DetectionFixtures.database()
        do {
            _ = try await Self.ingest(server, database: database)
            Issue.record("a refused index must fail")
        } catch let error as ElasticsearchError {
            guard case .forbidden(let index, let reason) = error else { Issue.record("expected 403, got \(error)"); return }
            #expect(index == "logs-o365*")
            #expect(reason.contains("indices:data/read/search"))
            #expect(error.description.contains("logs-o365*"))
        }
        #expect(try Self.storedIDs(database).isEmpty)
        await server.stop()
    }

    @Test("429 with Retry-After is retried by the policy")
    func retriesThrottled() async throws {
        let server = try await Self.cluster()
        server.inject(.init(path: "/_search", after: 1, status: 429, times: 2, retryAfter: "0"))
        let database = try DetectionFixtures.database()
        let summary = try await Self.ingest(server, database: database)
        #expect(summary.eventsStored == 6)
        #expect(server.requests.filter { $0.path == "/_search" }.count == 6, "four pages and two throttled attempts")
        await server.stop()
    }

    @Test("credentials resolve from files first, then the environment; never from arguments")
    func credentials() throws {
        let folder = try TestPaths.temporaryDirectory()
        let file = folder.appendingPathComponent("key").path
        try "id:secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try ElasticsearchCredentials.resolve(apiKeyFile: file, basicAuthFile: nil, bearerTokenFile: nil, environment: [:])
        #expect(fromFile?.headerValue == "ApiKey " + Data("id:secret".utf8).base64EncodedString())
        let fromEnvironment = try ElasticsearchCredentials.resolve(
            apiKeyFile: nil, basicAuthFile: nil, bearerTokenFile: nil, environment: ["BYPASS_AUDITOR_ES_BASIC_AUTH": "u:p"])
        #expect(fromEnvironment?.headerValue == "Basic dTpw")
        let bearer = try ElasticsearchCredentials.resolve(
            apiKeyFile: nil, basicAuthFile: nil, bearerTokenFile: nil, environment: ["BYPASS_AUDITOR_ES_BEARER_TOKEN": "tok"])
        #expect(bearer?.headerValue == "Bearer tok")
        #expect(try ElasticsearchCredentials.resolve(apiKeyFile: nil, basicAuthFile: nil, bearerTokenFile: nil, environment: [:]) == nil)
    }

    @Test("alerts: created once, a resend is acknowledged by 409, a retryable item failure is retried, a permanent one stays pending")
    func alertDelivery() async throws {
        let server = try await Self.cluster()
        let database = try DetectionFixtures.database()
        try DetectionFixtures.insert(
            [DetectionFixtures.bypass(id: "1", enabled: true), DetectionFixtures.bypass(id: "2", enabled: false),
             DetectionFixtures.bypass(id: "3", enabled: true)],
            into: database)
        let rules = try DetectionFixtures.shippedRules()
        let alerts = try Detector(database: database, rules: rules).run(now: Self.base).newAlerts
        #expect(alerts.count == 3)
        let ids = alerts.map { AlertDocument.uuid(ruleID: $0.ruleID, eventID: $0.eventID) }
        server.rejectBulkItem(id: ids[0], status: 429, type: "es_rejected_execution_exception", times: 1)
        server.rejectBulkItem(id: ids[1], status: 400, type: "document_parsing_exception", times: 1)
        let index = "logs-bypass_auditor.alerts-default"
        let deliver = {
            try await withRemoteHTTPClient(Self.quick) { http in
                try await ElasticsearchAlertDelivery(
                    client: ElasticsearchClient(http: http, baseURL: server.baseURL, credentials: nil), database: database,
                    rules: rules, index: index
                ).deliver()
            }
        }
        let first = try await deliver()
        #expect(first.delivered == 2, "the 429 item is retried within the run")
        #expect(first.failed.map(\.documentId) == [ids[1]])
        #expect(server.documents(in: index).count == 2)
        let stored = server.documents(in: index).first { $0.id == ids[0] }
        #expect(stored?.source["kibana.alert.uuid"]?.stringValue == ids[0])

        let second = try await deliver()
        #expect(second.delivered == 1, "only the pending alert is sent again")
        #expect(second.failed.isEmpty)
        #expect(server.documents(in: index).count == 3)

        // A lost acknowledgement: forget the delivery state and send everything again; 409 means already there.
        try database.write { db in try db.execute(sql: "DELETE FROM alert_delivery") }
        let third = try await deliver()
        #expect(third.delivered == 3)
        #expect(server.documents(in: index).count == 3, "never duplicated")
        await server.stop()
    }
}
