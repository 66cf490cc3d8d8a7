import Core
import Foundation
import GRDB

/// What a drift run cites of an alert, read without the rest of its row: the event it fired on, the rule that raised
/// it, its signal and whether anyone triaged it (`AlertRecords.references(_:tenant:raisedOn:throughID:)`).
public struct AlertReferenceRow: Sendable, Hashable {
    public var id: Int64
    public var eventID: String
    public var eventTime: Date
    public var raisedAt: Date
    public var ruleName: String
    /// `DetectionSignal`'s raw value.
    public var signal: String
    /// Whether the alert has at least one triage row (`alerts ack`).
    public var triaged: Bool

    public init(
        id: Int64, eventID: String, eventTime: Date, raisedAt: Date, ruleName: String, signal: String,
        triaged: Bool
    ) {
        self.id = id
        self.eventID = eventID
        self.eventTime = eventTime
        self.raisedAt = raisedAt
        self.ruleName = ruleName
        self.signal = signal
        self.triaged = triaged
    }

    /// The columns `init(row:repeated:)` reads, by position, over `a` (the alert). Not the tenant: the read is of
    /// one tenant's alerts.
    static let selection = """
        a.id, a.event_id, a.event_time, a.raised_at, a.rule_name, a.signal,
        EXISTS (SELECT 1 FROM alert_triage t WHERE t.alert_id = a.id)
        """

    /// What recurs from row to row of one read, kept so it is not made again: the rule names and signals, and the
    /// raising time of a detection run's alerts (its text and the instant it names).
    struct RepeatedValues {
        var texts = RepeatedText()
        var raisedAt = PreviousValue<Date>()
    }

    /// Reads the current row of a statement selecting `selection` (stepped by a cursor), as its bytes.
    init(_ row: StatementColumns, repeated: inout RepeatedValues) throws {
        id = row.int64(0)
        let decoding = StoredRowDecoding(table: AlertRow.databaseTableName, id: id)
        func required<Value>(_ index: Int, _ column: Column, _ body: (UnsafeRawBufferPointer) throws -> Value) throws
            -> Value
        {
            try row.withRequiredText(index, row: decoding.row, column: column.name, body)
        }
        eventID = try required(1, AlertRow.Columns.eventID) { String(decoding: $0, as: UTF8.self) }
        eventTime = try required(2, AlertRow.Columns.eventTime) {
            try decoding.date(utf8: $0, column: AlertRow.Columns.eventTime.name)
        }
        raisedAt = try required(3, AlertRow.Columns.raisedAt) { bytes in
            try repeated.raisedAt.value(of: bytes) { try decoding.date(utf8: $0, column: AlertRow.Columns.raisedAt.name) }
        }
        ruleName = try required(4, AlertRow.Columns.ruleName) { repeated.texts.shared(storedText: $0) { $0 } }
        signal = try required(5, AlertRow.Columns.signal) { repeated.texts.shared(storedText: $0) { $0 } }
        triaged = row.bool(6)
    }
}
