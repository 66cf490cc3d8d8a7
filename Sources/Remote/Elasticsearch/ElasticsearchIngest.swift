import Core
import Detection
import Ingest
import Store
import Foundation

/// `ingest --from-elasticsearch`: one search over the loaded rules' union (plus every bypass record) inside a time
/// window, paged with a point in time and `search_after`, every page stored through `ElasticsearchSource` (the same
/// normalisation, de-duplication by `event.id`, coverage and checkpoint as a file).
public struct ElasticsearchIngest: Sendable {
    public struct Options: Sendable {
        /// The index pattern searched.
        public var index: String
        public var since: Date?
        public var until: Date?
        /// How far before the last completed window's end the next window starts (records that arrive late).
        public var overlap: TimeInterval
        /// The window of a first run.
        public var firstRun: TimeInterval
        public var pageSize: Int
        public var keepAlive: String

        public static let defaultIndex = "logs-o365.audit-*,logs-o365*,filebeat-*"

        public init(
            index: String = Self.defaultIndex, since: Date? = nil, until: Date? = nil, overlap: TimeInterval = 3600,
            firstRun: TimeInterval = 30 * 86400, pageSize: Int = 1000, keepAlive: String = "5m"
        ) {
            self.index = index
            self.since = since
            self.until = until
            self.overlap = overlap
            self.firstRun = firstRun
            self.pageSize = max(1, pageSize)
            self.keepAlive = keepAlive
        }
    }

    public let client: ElasticsearchClient
    public let database: AuditDatabase
    public let interest: EventInterest
    public let rules: [DetectionRule]
    public let options: Options

    public init(client: ElasticsearchClient, database: AuditDatabase, interest: EventInterest, rules: [DetectionRule], options: Options) {
        self.client = client
        self.database = database
        self.interest = interest
        self.rules = rules
        self.options = options
    }

    /// Reads the window and returns what it stored. A run that fails part-way keeps every committed page and its
    /// checkpoint: the next run resumes from there.
    public func run(now: Date = Date()) async throws -> IngestSummary {
        let source = ElasticsearchSource(
            url: Self.describe(client.baseURL), index: options.index, database: database, interest: interest)
        let checkpoint = try source.checkpoint()
        let window = ElasticsearchSource.window(
            checkpoint: checkpoint, since: options.since, until: options.until, overlap: options.overlap,
            firstRun: options.firstRun, now: now)
        var summary = IngestSummary()
        summary.files = 1
        let runID = try IngestHistory.beginRun(database, interest: interest, at: now)
        try source.begin(start: window.start, end: window.end)
        var plan = ElasticsearchSearchPlan(rules: rules, start: window.start, end: window.end)
        let coverage = try await client.search(index: options.index, body: plan.coverageBody, usesPointInTime: false)
        try source.recordCoverage(try ElasticsearchSearchPlan.coverage(from: coverage), inputFileID: checkpoint.inputFileID)

        var pointInTime = try await client.openPointInTime(index: options.index, keepAlive: options.keepAlive)
        var searchAfter: [JSONTree]?
        var lastTime: Date?
        var reopened = 0
        do {
            while true {
                let response: JSONTree
                do {
                    response = try await client.search(
                        index: options.index,
                        body: plan.pageBody(pointInTime: pointInTime, keepAlive: options.keepAlive, searchAfter: searchAfter, size: options.pageSize),
                        usesPointInTime: pointInTime != nil)
                } catch ElasticsearchError.pointInTimeExpired where reopened < 3 {
                    // `_shard_doc` values belong to the old point in time: start again at the last stored instant
                    // (inclusive); hits read twice are recognised by event.id and not stored twice.
                    reopened += 1
                    pointInTime = try await client.openPointInTime(index: options.index, keepAlive: options.keepAlive)
                    plan = ElasticsearchSearchPlan(rules: rules, start: lastTime ?? plan.start, end: plan.end)
                    searchAfter = nil
                    continue
                }
                if let id = response["pit_id"]?.stringValue, pointInTime != nil { pointInTime = id }
                guard let hits = response["hits"]?["hits"]?.arrayValue else {
                    throw ElasticsearchError.unexpectedResponse("the search response has no hits.hits")
                }
                if hits.isEmpty { break }
                let page = try source.store(hits: hits, inputFileID: checkpoint.inputFileID, ingestRunID: runID)
                summary.records += page.hits
                summary.eventsStored += page.stored
                summary.duplicates += page.duplicates
                summary.skipped += page.rejected.count
                summary.withoutTenant += page.withoutTenant
                summary.errors += page.rejected.prefix(max(0, 100 - summary.errors.count))
                for hit in hits {
                    if let text = hit["_source"]?["@timestamp"]?.stringValue, let time = UTCTimestamp.parse(text) {
                        lastTime = max(lastTime ?? time, time)
                    }
                }
                guard let sort = hits.last?["sort"]?.arrayValue else {
                    throw ElasticsearchError.unexpectedResponse("a hit without sort values")
                }
                searchAfter = sort
                if hits.count < options.pageSize { break }
            }
        } catch {
            if let pointInTime { await client.closePointInTime(pointInTime) }
            throw error
        }
        if let pointInTime { await client.closePointInTime(pointInTime) }
        try source.complete()
        try IngestHistory.finishRun(database, id: runID, summary: summary)
        return summary
    }

    /// The URL as the checkpoint names it: scheme, host, port and path, no credentials or query.
    static func describe(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.user = nil
        components?.password = nil
        components?.query = nil
        return components?.string ?? url.absoluteString
    }
}
