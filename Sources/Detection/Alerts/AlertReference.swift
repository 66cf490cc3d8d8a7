import Core
import Foundation
import Store

/// An alert as a drift run judges it: the event it fired on, the rule and signal, when it was raised, and whether
/// anyone triaged it. The rest of an `Alert` (actor, target, outcome) is quoted only for impairments, which drift
/// reads whole.
public struct AlertReference: Sendable, Hashable, RaisedOnEvent {
    public var id: Int64
    public var tenant: TenantID
    public var eventID: String
    public var eventTime: Date
    public var raisedAt: Date
    public var ruleName: String
    public var signal: DetectionSignal
    public var triaged: Bool

    public init(
        id: Int64, tenant: TenantID, eventID: String, eventTime: Date, raisedAt: Date, ruleName: String,
        signal: DetectionSignal, triaged: Bool
    ) {
        self.id = id
        self.tenant = tenant
        self.eventID = eventID
        self.eventTime = eventTime
        self.raisedAt = raisedAt
        self.ruleName = ruleName
        self.signal = signal
        self.triaged = triaged
    }

    /// The reference to a whole alert (sharing its texts).
    public init(_ alert: Alert) {
        self.init(
            id: alert.id, tenant: alert.tenant, eventID: alert.eventID, eventTime: alert.eventTime,
            raisedAt: alert.raisedAt, ruleName: alert.ruleName, signal: alert.signal, triaged: alert.triage != nil)
    }
}

extension AlertReference {
    /// The reference `stored` holds, to an alert of `tenant`.
    init(stored row: AlertReferenceRow, tenant: TenantID) throws {
        let signal: DetectionSignal = try StoredRowDecoding(table: AlertRow.databaseTableName, id: row.id)
            .value(row.signal, column: AlertRow.Columns.signal.name)
        self.init(
            id: row.id, tenant: tenant, eventID: row.eventID, eventTime: row.eventTime, raisedAt: row.raisedAt,
            ruleName: row.ruleName, signal: signal, triaged: row.triaged)
    }
}
