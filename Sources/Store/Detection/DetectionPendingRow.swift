import Foundation
import GRDB

/// One row of `detection_pending`: an event a rule read but has not finished with.
public struct DetectionPendingRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "detection_pending"

    /// Why a (rule, event) pair waits.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Matched; the alert waits for a run under `max_signals`.
        case heldBack = "held-back"
        /// Read by a scheduled run but outside the rule's look-back window.
        case deferred
    }

    public enum Columns {
        public static let ruleID = Column("rule_id")
        public static let eventRowID = Column("event_rowid")
        public static let eventID = Column("event_id")
        public static let reason = Column("reason")
        public static let sinceRun = Column("since_run")
    }

    public var ruleID: String
    /// The event's rowid in `event` (insertion order).
    public var eventRowID: Int64
    public var eventID: String
    public var reason: Reason
    /// The detection run that left it pending.
    public var sinceRun: Int64

    public init(ruleID: String, eventRowID: Int64, eventID: String, reason: Reason, sinceRun: Int64) {
        self.ruleID = ruleID
        self.eventRowID = eventRowID
        self.eventID = eventID
        self.reason = reason
        self.sinceRun = sinceRun
    }

    public init(row: Row) throws {
        ruleID = try row.decode(String.self, forColumn: Columns.ruleID)
        eventRowID = try row.decode(Int64.self, forColumn: Columns.eventRowID)
        eventID = try row.decode(String.self, forColumn: Columns.eventID)
        reason = try StoredRowDecoding(table: Self.databaseTableName, row: "\(ruleID)|\(eventRowID)")
            .value(try row.decode(String.self, forColumn: Columns.reason), column: Columns.reason.name)
        sinceRun = try row.decode(Int64.self, forColumn: Columns.sinceRun)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.ruleID] = ruleID
        container[Columns.eventRowID] = eventRowID
        container[Columns.eventID] = eventID
        container[Columns.reason] = reason.rawValue
        container[Columns.sinceRun] = sinceRun
    }
}
