import Core
import Foundation
import GRDB

/// What a drift run needs of each alert of a period, read without the rest of its row: the event it fired on, the
/// rule that raised it, its signal and whether anyone triaged it.
///
/// Drift judges every alert of a month (200,000 at scale) for FP-5 and cites the alerts of the changes its findings
/// name, but quotes the actor, target and outcome only of the few impairment alerts. Reading whole rows with their
/// latest triage was the largest read of a drift run.
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

    private static let ruleNamePosition = AlertRow.Columns.position(of: AlertRow.Columns.ruleName)
    private static let signalPosition = AlertRow.Columns.position(of: AlertRow.Columns.signal)

    /// Reads the columns of `selection`, keeping one copy of what repeats the previous row of the same read (the
    /// rule name, signal and raising time of a run's alerts).
    init(row: Row, repeated: inout AlertRow.RepeatedValues) throws {
        id = try row.decode(Int64.self, atIndex: 0)
        let decoding = StoredRowDecoding(table: AlertRow.databaseTableName, row: String(id))
        eventID = try row.decode(String.self, atIndex: 1)
        eventTime = try decoding.date(try row.decode(String.self, atIndex: 2), column: AlertRow.Columns.eventTime.name)
        raisedAt = try repeated.raisedAt(try row.decode(String.self, atIndex: 3), decoding)
        ruleName = repeated.shared(try row.decode(String.self, atIndex: 4), column: Self.ruleNamePosition)
        signal = repeated.shared(try row.decode(String.self, atIndex: 5), column: Self.signalPosition)
        triaged = try row.decode(Bool.self, atIndex: 6)
    }
}
