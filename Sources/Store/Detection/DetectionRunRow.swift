import Core
import Foundation
import GRDB

/// One row of `detection_run`: what one `detect` run or `watch` cycle did. Detection maps it to its
/// `DetectionRunSummary` (the run mode is Detection's vocabulary, so it stays text here).
public struct DetectionRunRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "detection_run"

    public enum Columns {
        public static let id = Column("id")
        public static let ranAt = Column("ran_at")
        public static let now = Column("now")
        public static let mode = Column("mode")
        public static let evaluatedThrough = Column("evaluated_through")
        public static let eventsEvaluated = Column("events_evaluated")
        public static let alertsRaised = Column("alerts_raised")
        public static let heldBack = Column("held_back")
        public static let deferred = Column("deferred")
        public static let ruleSetDigest = Column("rule_set_digest")
        public static let ruleIDs = Column("rule_ids")
    }

    /// SQLite's id, assigned when the row is inserted (0 before): the record never writes it.
    public var id: Int64
    public var ranAt: Date
    /// The clock the run used (`--now`).
    public var now: Date
    /// `DetectionMode`'s raw value.
    public var mode: String
    public var evaluatedThrough: Date?
    public var eventsEvaluated: Int
    public var alertsRaised: Int
    public var heldBack: Int
    public var deferred: Int
    public var ruleSetDigest: String
    /// Stored as a JSON array.
    public var ruleIDs: [String]

    public init(
        id: Int64, ranAt: Date, now: Date, mode: String, evaluatedThrough: Date?, eventsEvaluated: Int,
        alertsRaised: Int, heldBack: Int, deferred: Int, ruleSetDigest: String, ruleIDs: [String]
    ) {
        self.id = id
        self.ranAt = ranAt
        self.now = now
        self.mode = mode
        self.evaluatedThrough = evaluatedThrough
        self.eventsEvaluated = eventsEvaluated
        self.alertsRaised = alertsRaised
        self.heldBack = heldBack
        self.deferred = deferred
        self.ruleSetDigest = ruleSetDigest
        self.ruleIDs = ruleIDs
    }

    public init(row: Row) throws {
        id = try row.decode(Int64.self, forColumn: Columns.id)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: String(id))
        ranAt = try decoding.date(try row.decode(String.self, forColumn: Columns.ranAt), column: Columns.ranAt.name)
        now = try decoding.date(try row.decode(String.self, forColumn: Columns.now), column: Columns.now.name)
        mode = try row.decode(String.self, forColumn: Columns.mode)
        evaluatedThrough = try decoding.dateIfPresent(
            try row.decode(String?.self, forColumn: Columns.evaluatedThrough), column: Columns.evaluatedThrough.name)
        eventsEvaluated = try row.decode(Int.self, forColumn: Columns.eventsEvaluated)
        alertsRaised = try row.decode(Int.self, forColumn: Columns.alertsRaised)
        heldBack = try row.decode(Int.self, forColumn: Columns.heldBack)
        deferred = try row.decode(Int.self, forColumn: Columns.deferred)
        ruleSetDigest = try row.decode(String.self, forColumn: Columns.ruleSetDigest)
        ruleIDs = try decoding.stringList(try row.decode(String.self, forColumn: Columns.ruleIDs), column: Columns.ruleIDs.name)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.ranAt] = UTCTimestamp.format(ranAt)
        container[Columns.now] = UTCTimestamp.format(now)
        container[Columns.mode] = mode
        container[Columns.evaluatedThrough] = evaluatedThrough.map(UTCTimestamp.format)
        container[Columns.eventsEvaluated] = eventsEvaluated
        container[Columns.alertsRaised] = alertsRaised
        container[Columns.heldBack] = heldBack
        container[Columns.deferred] = deferred
        container[Columns.ruleSetDigest] = ruleSetDigest
        container[Columns.ruleIDs] = try JSONCoding.string(ruleIDs, pretty: false)
    }
}
