import Core
import Foundation
import GRDB

/// One row of `alert_triage`: an acknowledgement (`alerts ack`). Every one is kept; an alert shows its latest.
public struct AlertTriageRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "alert_triage"

    public enum Columns {
        public static let id = Column("id")
        public static let alertID = Column("alert_id")
        public static let triagedBy = Column("triaged_by")
        public static let note = Column("note")
        public static let triagedAt = Column("triaged_at")

        /// Every column, in the order `init(row:)` reads them.
        static let all = [id, alertID, triagedBy, note, triagedAt]
    }

    /// `init(row:)` reads columns by position, as `AlertRow` does (an alert read carries its latest triage).
    public static var databaseSelection: [any SQLSelectable] { Columns.all }

    /// SQLite's id, assigned when the row is inserted (0 before): the record never writes it.
    public var id: Int64
    public var alertID: Int64
    public var triagedBy: String
    public var note: String
    public var triagedAt: Date

    public init(id: Int64, alertID: Int64, triagedBy: String, note: String, triagedAt: Date) {
        self.id = id
        self.alertID = alertID
        self.triagedBy = triagedBy
        self.note = note
        self.triagedAt = triagedAt
    }

    /// Reads the columns of `Columns.all`, by position.
    public init(row: Row) throws {
        try self.init(row: row, startingAt: 0)
    }

    /// Reads the columns of `Columns.all`, by position, from `start` on (an alert read selects them after the
    /// alert's own).
    init(row: Row, startingAt start: Int) throws {
        id = try row.decode(Int64.self, atIndex: start)
        alertID = try row.decode(Int64.self, atIndex: start + 1)
        triagedBy = try row.decode(String.self, atIndex: start + 2)
        note = try row.decode(String.self, atIndex: start + 3)
        triagedAt = try StoredRowDecoding(table: Self.databaseTableName, row: String(id))
            .date(try row.decode(String.self, atIndex: start + 4), column: "triaged_at")
    }

    /// Reads the columns of `Columns.all` from the current row of a statement (stepped by a cursor), from `start` on
    /// (an alert read selects them after the alert's own).
    init(_ row: StatementColumns, startingAt start: Int) throws {
        let id = row.int64(start)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, id: id)
        func required(_ offset: Int) throws -> String {
            try row.string(start + offset, row: decoding.row, column: Columns.all[offset].name)
        }
        self.id = id
        alertID = row.int64(start + 1)
        triagedBy = try required(2)
        note = try required(3)
        triagedAt = try decoding.date(try required(4), column: Columns.triagedAt.name)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.alertID] = alertID
        container[Columns.triagedBy] = triagedBy
        container[Columns.note] = note
        container[Columns.triagedAt] = UTCTimestamp.format(triagedAt)
    }
}
