import Core
import Ingest
import Reading
import Store
import Foundation
import GRDB

/// One cluster source (URL + index pattern) as the store keeps it: its checkpoint and the page path every hit takes.
///
/// Hits go through the same path as a file: `ECSDocumentNormalizer` (as for `_search` responses), the rules'
/// `EventInterest`, `EventStore.insert` (de-duplication by `event.id`) and the checkpoint, in one transaction per
/// page, so a run killed mid-way resumes after its last committed page and stores nothing twice.
public struct ElasticsearchSource: Sendable {
    /// The checkpoint of a source.
    public struct Checkpoint: Sendable, Hashable {
        public var inputFileID: Int64
        public var windowStart: Date?
        public var windowEnd: Date?
        /// The `@timestamp` of the last committed hit of an unfinished window.
        public var resumeFrom: Date?
        /// The end of the last window read completely.
        public var completedUntil: Date?

        /// Whether a window was begun and not finished.
        public var isUnfinished: Bool { windowEnd != nil && completedUntil != windowEnd }
    }

    /// `url` (without credentials) and the index pattern: what identifies the source.
    public let key: String
    public let database: AuditDatabase
    public let interest: EventInterest

    public init(url: String, index: String, database: AuditDatabase, interest: EventInterest) {
        key = "elasticsearch:\(url)|\(index)"
        self.database = database
        self.interest = interest
    }

    /// The source's checkpoint, created (with its `input_file` row) on first use.
    public func checkpoint() throws -> Checkpoint {
        try database.write { db in
            if let row = try ElasticsearchSourceRecords.find(db, source: key) {
                return Checkpoint(
                    inputFileID: row.inputFileID, windowStart: row.windowStart, windowEnd: row.windowEnd,
                    resumeFrom: row.resumeFrom, completedUntil: row.completedUntil)
            }
            let file = try InputFileRecords.create(
                db, identity: key, path: key, headDigest: "", headLength: 0, size: nil,
                format: LogFormat.ecsSearchResponse.rawValue, at: Date())
            try ElasticsearchSourceRecords.create(db, source: key, inputFileID: file.id, at: Date())
            return Checkpoint(inputFileID: file.id)
        }
    }

    /// The window a run reads: an unfinished window resumes where its last page ended (unless `since`/`until` say
    /// otherwise); else from `since`, or the last completed window's end minus `overlap` (late records), or
    /// `firstRun` before `now`; up to `until` or `now`.
    public static func window(
        checkpoint: Checkpoint, since: Date?, until: Date?, overlap: TimeInterval, firstRun: TimeInterval, now: Date
    ) -> (start: Date, end: Date) {
        if since == nil, until == nil, checkpoint.isUnfinished, let end = checkpoint.windowEnd,
            let start = checkpoint.resumeFrom ?? checkpoint.windowStart
        {
            return (start, end)
        }
        let start = since ?? checkpoint.completedUntil.map { $0.addingTimeInterval(-overlap) } ?? now.addingTimeInterval(-firstRun)
        return (start, until ?? now)
    }

    /// Records the window being read (kept when resuming it, so its original start stays on record).
    public func begin(start: Date, end: Date) throws {
        try database.write { db in
            try ElasticsearchSourceRecords.beginWindow(db, source: key, start: start, end: end, at: Date())
        }
    }

    /// Stores the per-day counts of the window (see `CoverageStore.raise`).
    public func recordCoverage(_ counts: [UTCDay: Int], inputFileID: Int64) throws {
        try database.write { db in try CoverageStore.raise(db, inputFileID: inputFileID, counts: counts) }
    }

    /// What one committed page did.
    public struct PageResult: Sendable, Hashable {
        public var hits = 0
        public var stored = 0
        public var duplicates = 0
        public var rejected: [ReadError] = []
        /// Kept events whose record carries no `OrganizationId` (stored under the unknown tenant).
        public var withoutTenant = 0
    }

    /// Normalises and stores one page of hits and moves the checkpoint past it, in one transaction.
    public func store(hits: [JSONTree], inputFileID: Int64, ingestRunID: Int64?) throws -> PageResult {
        var result = PageResult()
        var located: [AuditEvent] = []
        var last: Date?
        for hit in hits {
            result.hits += 1
            do throws(RecordRejection) {
                let event = try ECSDocumentNormalizer.normalizeHit(JSONValue(hit))
                if let time = event.timestamp { last = max(last ?? time, time) }
                if interest.keeps(event) {
                    located.append(event)
                    if event.tenant.isUnknown { result.withoutTenant += 1 }
                }
            } catch {
                result.rejected.append(ReadError(file: key, line: 0, reason: "hit \(hit["_id"]?.stringValue ?? "?"): \(error.reason)"))
            }
        }
        let now = Date()
        try database.write { db in
            for event in located {
                let origin = EventStore.Origin(inputFileID: inputFileID, line: nil, ingestRunID: ingestRunID)
                if try EventStore.insert(db, event, origin: origin, ingestedAt: now) != nil {
                    result.stored += 1
                } else {
                    result.duplicates += 1
                }
            }
            try InputFileRecords.addCounts(
                db, id: inputFileID, records: result.hits, skipped: result.rejected.count, at: now)
            if let last { try ElasticsearchSourceRecords.resume(db, source: key, from: last, at: now) }
        }
        return result
    }

    /// Marks the current window read completely.
    public func complete() throws {
        try database.write { db in
            try ElasticsearchSourceRecords.completeWindow(db, source: key, at: Date())
        }
    }
}

extension JSONValue {
    /// The reader's JSON value for a tree the tool received (object members in sorted order).
    init(_ tree: JSONTree) {
        switch tree {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .integer(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .object(let members):
            self = .object(JSONObject(members: members.keys.sorted().map { .init(key: $0, value: JSONValue(members[$0]!)) }))
        }
    }
}
