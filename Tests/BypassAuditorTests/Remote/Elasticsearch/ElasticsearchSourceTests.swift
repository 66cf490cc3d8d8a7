import Foundation
import GRDB
import TestSupport
import Testing

import BypassAuditor
@testable import Core
@testable import Remote
@testable import Store

/// A cluster source's page path and checkpoint, over a real SQLite file: pages commit with their checkpoint, a run
/// killed after its first page resumes without loss or duplicates, coverage only grows.
@Suite("Elasticsearch: source checkpoint and pages")
struct ElasticsearchSourceTests {
    static let base = DetectionFixtures.base

    /// A search hit as the _search API returns it: `_index`, `_id`, `_source` (nested objects), `sort`.
    static func hit(_ event: AuditEvent) -> JSONTree {
        var source: [String: JSONTree] = [:]
        for (name, value) in event.fields { source[name] = value.jsonTree }
        return ["_index": "logs-o365.audit-default", "_id": .string("doc-\(event.id ?? "")"), "_source": .object(source),
                "sort": [.string(event.string("@timestamp") ?? ""), 0]]
    }

    static func events() -> [AuditEvent] {
        (0..<6).map { index in
            index.isMultiple(of: 2)
                ? DetectionFixtures.bypass(id: "bypass-\(index)", enabled: true, at: base.addingTimeInterval(Double(index) * 60))
                : DetectionFixtures.event(id: "other-\(index)", action: "MailItemsAccessed", at: base.addingTimeInterval(Double(index) * 60))
        }
    }

    @Test("a run killed after its first page resumes from its checkpoint: nothing lost, nothing stored twice")
    func resumeAfterFirstPage() throws {
        let database = try DetectionFixtures.database()
        let events = Self.events().map(Self.hit)
        let start = Self.base.addingTimeInterval(-3600)
        let end = Self.base.addingTimeInterval(3600)

        let first = ElasticsearchSource(url: "https://es.example:9200", index: "logs-o365*", database: database, interest: .bypassOnly)
        let checkpoint = try first.checkpoint()
        try first.begin(start: start, end: end)
        let page = try first.store(hits: Array(events[0..<3]), inputFileID: checkpoint.inputFileID, ingestRunID: nil)
        #expect(page == .init(hits: 3, stored: 2, duplicates: 0, rejected: []), "bypass records kept, the other one not")
        // Killed here: no complete().

        let second = ElasticsearchSource(url: "https://es.example:9200", index: "logs-o365*", database: database, interest: .bypassOnly)
        let resumed = try second.checkpoint()
        #expect(resumed.inputFileID == checkpoint.inputFileID)
        #expect(resumed.isUnfinished)
        let window = ElasticsearchSource.window(checkpoint: resumed, since: nil, until: nil, overlap: 300, firstRun: 86400, now: Date())
        #expect(window.start == Self.base.addingTimeInterval(120), "resumes at the last committed hit's time")
        #expect(window.end == end, "the window's end stays")
        // The cluster answers the resumed window (gte the resume time): the last committed hit again, then the rest.
        try second.begin(start: window.start, end: window.end)
        let rest = try second.store(hits: Array(events[2...]), inputFileID: resumed.inputFileID, ingestRunID: nil)
        #expect(rest.stored == 1, "bypass-4; the others are not bypass records")
        #expect(rest.duplicates == 1, "the overlap is recognised by event.id")
        try second.complete()

        let stored = try database.read { db in try String.fetchAll(db, sql: "SELECT event_id FROM event ORDER BY event_id") }
        #expect(stored == ["bypass-0", "bypass-2", "bypass-4"])
        let done = try second.checkpoint()
        #expect(!done.isUnfinished)
        #expect(done.completedUntil == end)
        #expect(done.windowStart == start, "the resumed window keeps its original start")
        let next = ElasticsearchSource.window(checkpoint: done, since: nil, until: nil, overlap: 300, firstRun: 86400, now: end.addingTimeInterval(600))
        #expect(next.start == end.addingTimeInterval(-300), "the next run starts at the last end minus the overlap")
    }

    @Test("a hit the normaliser rejects is reported, never silently dropped")
    func rejectedHit() throws {
        let database = try DetectionFixtures.database()
        let source = ElasticsearchSource(url: "http://127.0.0.1:9200", index: "logs-*", database: database, interest: .bypassOnly)
        let checkpoint = try source.checkpoint()
        let result = try source.store(
            hits: [["_id": "x", "_index": "logs-o365"]], inputFileID: checkpoint.inputFileID,
            ingestRunID: nil)
        // (A hit without event.id is no longer a rejection: it is kept under a derived id, see the reading tests.)
        #expect(result.rejected.count == 1)
        #expect(result.rejected.first?.reason.contains("no _source") == true)
    }

    @Test("coverage from the per-day aggregation only grows")
    func coverageGrows() throws {
        let database = try DetectionFixtures.database()
        let source = ElasticsearchSource(url: "http://127.0.0.1:9200", index: "logs-*", database: database, interest: .bypassOnly)
        let checkpoint = try source.checkpoint()
        let day = UTCDay(containing: Self.base)
        try source.recordCoverage([day: 40], inputFileID: checkpoint.inputFileID)
        try source.recordCoverage([day: 12], inputFileID: checkpoint.inputFileID)
        try source.recordCoverage([day: 41], inputFileID: checkpoint.inputFileID)
        let counts = try database.read { db in try CoverageStore.recordsPerDay(db, from: day, through: day) }
        #expect(counts == [day: 41])
    }

    @Test("the coverage aggregation's buckets are read per UTC day")
    func coverageBuckets() throws {
        let response: JSONTree = [
            "took": 3, "timed_out": false, "hits": ["hits": []],
            "aggregations": ["per_day": ["buckets": [
                ["key_as_string": "2026-11-20", "key": 1_795_132_800_000, "doc_count": 17],
                ["key_as_string": "2026-11-21", "key": 1_795_219_200_000, "doc_count": 4],
            ]]],
        ]
        let counts = try ElasticsearchSearchPlan.coverage(from: response)
        #expect(counts == [UTCDay("2026-11-20")!: 17, UTCDay("2026-11-21")!: 4])
        #expect(throws: ElasticsearchError.self) { try ElasticsearchSearchPlan.coverage(from: ["hits": ["hits": []]]) }
    }

    @Test("the search asks for the union of the rules and every bypass record, inside the window")
    func searchPlan() throws {
        let rules = try DetectionFixtures.shippedRules().rules
        let plan = ElasticsearchSearchPlan(rules: rules, start: Self.base, end: Self.base.addingTimeInterval(86400))
        let should = plan.query["bool"]?["should"]?.arrayValue ?? []
        #expect(should.count == rules.count + 1)
        let bypass = DetectionFixtures.bypass(id: "b", enabled: nil, outcome: .failure)
        let unrelated = DetectionFixtures.event(id: "u", action: "MailItemsAccessed")
        let outside = DetectionFixtures.bypass(id: "o", enabled: true, at: Self.base.addingTimeInterval(-10))
        let now = Self.base
        #expect(try QueryDSLEvaluator(fields: bypass.fields, now: now).matches(plan.query))
        #expect(try !QueryDSLEvaluator(fields: unrelated.fields, now: now).matches(plan.query))
        #expect(try !QueryDSLEvaluator(fields: outside.fields, now: now).matches(plan.query))
        let body = plan.pageBody(pointInTime: "pit-1", keepAlive: "2m", searchAfter: ["2026-11-21T10:00:00Z", 7], size: 500)
        #expect(body["pit"]?["id"] == "pit-1")
        #expect(body["search_after"] == ["2026-11-21T10:00:00Z", 7])
        #expect(body["sort"]?.arrayValue?.last == ["_shard_doc": "asc"])
        let fallback = plan.pageBody(pointInTime: nil, keepAlive: "2m", searchAfter: nil, size: 500)
        #expect(fallback["sort"]?.arrayValue?.last == ["event.id": "asc"])
        #expect(plan.sourceFields.contains("o365.*"))
    }
}
