import Core
import Foundation
import GRDB
import Store

/// Stored alerts, their triage and the record of detection runs, in Detection's terms: what `alerts`, drift and
/// reports read. Store's `AlertRecords` and `DetectionRunRecords` own the tables; this maps their rows.
public enum AlertStore {
    /// Alerts whose event time lies in `[from, to)`, narrowed to one tenant when given; oldest event first.
    /// Each carries its latest triage, if any.
    public static func alerts(_ db: Database, tenant: TenantID?, from: Date?, to: Date?) throws -> [Alert] {
        // Each stored alert becomes an `Alert` as it is read: reports read a month of them (200,000 at scale), and
        // mapping a whole array afterwards held both at once.
        var alerts: [Alert] = []
        alerts.reserveCapacity(try AlertRecords.count(db, tenant: tenant, from: from, to: to))
        try forEachAlert(db, tenant: tenant, from: from, to: to) { alerts.append($0) }
        return alerts
    }

    /// `alerts(_:tenant:from:to:)`'s alerts, in the same order, each handed to `body` as it is read and then let go:
    /// for listings that outgrow memory (`detect --json` lists every stored alert).
    public static func forEachAlert(
        _ db: Database, tenant: TenantID?, from: Date?, to: Date?, _ body: (Alert) throws -> Void
    ) throws {
        var tenants: [String: TenantID] = [:]
        try AlertRecords.forEachAlert(db, tenant: tenant, from: from, to: to) { stored in
            try body(try Alert(stored: stored, tenants: &tenants))
        }
    }

    /// The alerts of `tenant` with one of `signals` whose event time lies in `[from, to)`, whole, oldest event first.
    public static func alerts(_ db: Database, tenant: TenantID, signals: [DetectionSignal], from: Date, to: Date)
        throws -> [Alert]
    {
        try Alert.all(AlertRecords.alerts(db, tenant: tenant, signals: signals.map(\.rawValue), from: from, to: to))
    }

    /// The references to `tenant`'s alerts raised on any of `eventIDs`, among the alerts up to `throughID` (the
    /// newest of the state the caller judged, `AlertRecords.newestID`), oldest event first.
    public static func references(_ db: Database, tenant: TenantID, raisedOn eventIDs: [String], throughID: Int64)
        throws -> [AlertReference]
    {
        try AlertRecords.references(db, tenant: tenant, raisedOn: eventIDs, throughID: throughID).map {
            try AlertReference(stored: $0, tenant: tenant)
        }
    }

    /// One alert by id.
    public static func alert(id: Int64, _ db: Database) throws -> Alert? {
        try AlertRecords.alert(id: id, db).map { try Alert.all([$0])[0] }
    }

    /// Alerts raised by one run, in the order raised.
    public static func alerts(raisedByRun runID: Int64, _ db: Database) throws -> [Alert] {
        try Alert.all(AlertRecords.alerts(raisedByRun: runID, db))
    }

    /// Every detection run, oldest first.
    public static func detectionRuns(_ db: Database) throws -> [DetectionRunSummary] {
        try DetectionRunRecords.all(db).map(DetectionRunSummary.init(stored:))
    }

    /// The most recent detection run, if any ran.
    public static func latestRun(_ db: Database) throws -> DetectionRunSummary? {
        try DetectionRunRecords.latest(db).map(DetectionRunSummary.init(stored:))
    }

    /// Records triage of an alert (`alerts ack`). Earlier triage is kept; the alert shows the latest.
    @discardableResult
    public static func acknowledge(_ db: Database, alertID: Int64, by: String, note: String, at time: Date) throws
        -> Alert
    {
        guard try AlertRecords.alert(id: alertID, db) != nil else { throw AlertStoreError.noSuchAlert(alertID) }
        try AlertRecords.addTriage(db, AlertTriageRow(id: 0, alertID: alertID, triagedBy: by, note: note, triagedAt: time))
        guard let updated = try alert(id: alertID, db) else { throw AlertStoreError.noSuchAlert(alertID) }
        return updated
    }

    /// Inserts `alert` unless its (rule, event) pair already alerted. Returns it with its new id, or nil when an
    /// earlier run raised it.
    static func insertIfNew(_ db: Database, _ alert: Alert, runID: Int64) throws -> Alert? {
        guard let id = try AlertRecords.insertIfNew(db, alert.row(runID: runID)) else { return nil }
        var stored = alert
        stored.id = id
        return stored
    }
}

public enum AlertStoreError: Error, CustomStringConvertible, Equatable {
    case noSuchAlert(Int64)

    public var description: String {
        switch self {
        case .noSuchAlert(let id): "no alert with id \(id)"
        }
    }
}
