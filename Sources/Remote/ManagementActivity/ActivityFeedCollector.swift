import Ingest
import Store
import Foundation

/// What `collect` is asked to do.
public struct ActivityCollectRequest: Sendable {
    public var tenant: String
    public var clientID: String
    public var credential: ClientCredential
    public var endpoints: ManagementEndpoints
    public var contentTypes: [ActivityContentType]
    /// Start collecting here instead of at the checkpoint.
    public var since: Date?
    /// Blob downloads in flight at once.
    public var concurrency: Int
    public var lookBack: TimeInterval
    public var http: RemoteHTTPConfiguration

    public init(
        tenant: String, clientID: String, credential: ClientCredential, endpoints: ManagementEndpoints,
        contentTypes: [ActivityContentType] = [.exchange], since: Date? = nil, concurrency: Int = 4,
        lookBack: TimeInterval = ActivityCollectionPlan.defaultLookBack, http: RemoteHTTPConfiguration = .init()
    ) {
        self.tenant = tenant
        self.clientID = clientID
        self.credential = credential
        self.endpoints = endpoints
        self.contentTypes = contentTypes
        self.since = since
        self.concurrency = max(1, concurrency)
        self.lookBack = lookBack
        self.http = http
    }
}

/// What one `collect` did (`collect --json` prints it).
public struct ActivityCollectSummary: Sendable, Codable {
    public enum Subscription: String, Sendable, Codable {
        /// Enabled before this run.
        case enabled
        /// Started by this run: content can take up to 12 hours to appear.
        case startedNow = "started-now"
        /// Started by an earlier run less than 12 hours ago: an empty listing does not mean no activity yet.
        case startedRecently = "started-recently"
    }

    /// A window listed completely (`start` inclusive, `end` exclusive).
    public struct Window: Sendable, Codable, Hashable {
        public var start: Date
        public var end: Date
    }

    public struct PerContentType: Sendable, Codable {
        public var contentType: String
        public var subscription: Subscription
        public var subscriptionStartedAt: Date?
        public var windows: [Window] = []
        public var blobsListed = 0
        public var blobsFetched = 0
        public var blobsAlreadyStored = 0
        /// Time the API no longer serves (older than 7 days) that was never collected.
        public var lost: ActivityCollectionPlan.Gap?
    }

    public var tenant: String
    public var contentTypes: [PerContentType] = []
    public var ingest = IngestSummary()
    public var tokensIssued = 0
}

/// The `collect` use case: subscriptions, the collection plan, content listing, bounded-concurrency blob downloads,
/// and each blob through the ingester with its checkpoint.
public struct ActivityFeedCollector: Sendable {
    public let database: AuditDatabase
    public let interest: EventInterest
    public let request: ActivityCollectRequest
    /// How long after a subscription starts content may still be missing.
    public static let subscriptionWarmUp: TimeInterval = 12 * 3_600

    public init(database: AuditDatabase, interest: EventInterest, request: ActivityCollectRequest) {
        self.database = database
        self.interest = interest
        self.request = request
    }

    public func run(now: Date = Date()) async throws -> ActivityCollectSummary {
        try await withRemoteHTTPClient(request.http) { http in
            let tokens = AccessTokenProvider(
                tenant: request.tenant, clientID: request.clientID, credential: request.credential,
                endpoints: request.endpoints, http: http)
            let client = ActivityFeedClient(
                tenant: request.tenant, endpoints: request.endpoints, http: http, tokens: tokens)
            let spool = FileManager.default.temporaryDirectory
                .appendingPathComponent("bypass-auditor-collect-\(UUID().uuidString)")
            // Blobs are audit records: readable by this user only while they wait to be read.
            try FileManager.default.createDirectory(
                at: spool, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: spool) }
            let ingester = Ingester(database: database, interest: interest)
            var summary = ActivityCollectSummary(tenant: request.tenant)
            let started = Date()
            let runID = try IngestHistory.beginRun(database, interest: interest, at: started)
            let enabled = Set(try await client.subscriptions(for: request.contentTypes.first).filter(\.isEnabled).map(\.contentType))
            for contentType in request.contentTypes {
                let store = ActivityFeedStore(database: database, tenant: request.tenant, contentType: contentType)
                var state = try store.state()
                var result = ActivityCollectSummary.PerContentType(
                    contentType: contentType.rawValue, subscription: .enabled,
                    subscriptionStartedAt: state.subscriptionStartedAt)
                if !enabled.contains(contentType.rawValue) {
                    try await client.startSubscription(contentType)
                    try store.noteSubscriptionStarted(at: now)
                    state.subscriptionStartedAt = now
                    result.subscription = .startedNow
                    result.subscriptionStartedAt = now
                } else if let at = state.subscriptionStartedAt, now.timeIntervalSince(at) < Self.subscriptionWarmUp {
                    result.subscription = .startedRecently
                }
                let plan = ActivityCollectionPlan.make(
                    completedUntil: state.completedUntil, since: request.since, now: now, lookBack: request.lookBack)
                if let lost = plan.lost {
                    try store.noteGap(lost)
                    result.lost = lost
                }
                for window in plan.windows {
                    let listed = try await client.content(contentType, from: window.start, to: window.end)
                    // The same blob can be listed twice (pages overlapping, windows overlapping by the look-back).
                    var seen = Set<String>()
                    let unique = listed.filter { seen.insert($0.contentId).inserted }
                    let done = try store.fetched(among: unique.map(\.contentId))
                    let pending = unique.filter { !done.contains($0.contentId) }
                    result.blobsListed += unique.count
                    result.blobsAlreadyStored += unique.count - pending.count
                    try await fetch(
                        pending, window: window, contentType: contentType, client: client, store: store,
                        ingester: ingester, spool: spool, runID: runID, started: started, summary: &summary.ingest)
                    result.blobsFetched += pending.count
                    result.windows.append(.init(start: window.start, end: window.end))
                    try store.complete(until: window.end)
                }
                summary.contentTypes.append(result)
            }
            try IngestHistory.finishRun(database, id: runID, summary: summary.ingest)
            summary.tokensIssued = await tokens.tokensIssued
            return summary
        }
    }

    /// Downloads `pending` with at most `request.concurrency` in flight and stores each as it arrives (blobs are
    /// independent: each has its own checkpoint, so arrival order does not matter).
    private func fetch(
        _ pending: [ActivityContent], window: DateInterval, contentType: ActivityContentType,
        client: ActivityFeedClient, store: ActivityFeedStore, ingester: Ingester, spool: URL, runID: Int64,
        started: Date, summary: inout IngestSummary
    ) async throws {
        try await withThrowingTaskGroup(of: (ActivityContent, Data).self) { group in
            var next = pending.makeIterator()
            func launch() {
                guard let content = next.next() else { return }
                group.addTask { (content, try await client.blob(content, contentType: contentType)) }
            }
            for _ in 0..<request.concurrency { launch() }
            while let (content, body) = try await group.next() {
                let file = spool.appendingPathComponent(Self.spoolName(content.contentId))
                try body.write(to: file)
                try ingester.ingestBlob(
                    at: file.path, key: store.inputKey(content), runID: runID, started: started, into: &summary
                ) { db, inputFileID in
                    try store.markFetched(content, window: window, inputFileID: inputFileID, db)
                }
                try? FileManager.default.removeItem(at: file)
                launch()
            }
        }
    }

    /// A file name from a content id (server-chosen text: only safe characters kept).
    static func spoolName(_ contentId: String) -> String {
        let safe = contentId.unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "_"
        }
        return String(safe.prefix(120)) + "-\(UUID().uuidString).json"
    }
}
