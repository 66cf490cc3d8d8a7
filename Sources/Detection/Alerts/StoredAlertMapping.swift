import Core
import Foundation
import Store

// Where Detection's model meets the rows Store keeps: the one place an `Alert` or a `DetectionRunSummary` is made
// from a stored row, or an alert row from an `Alert`. Signal and run mode are Detection's vocabulary, so Store keeps
// them as text and they are decoded here, with the same error Store raises for a value it cannot read.

extension Alert {
    /// The alert `stored` holds, with its latest triage. `tenants` caches one `TenantID` per stored tenant text:
    /// drift and reports read every alert of a month (200,000 at scale), where normalising each tenant id again cost
    /// most of the time.
    init(stored: StoredAlert, tenants: inout [String: TenantID]) throws {
        let row = stored.alert
        // Looked up once and stored only when new, and the row's id made text only for an error: per alert, a
        // second hash of the tenant and a formatted id were half the time of this mapping (275 -> 137 profile
        // samples for a month of 200,000 alerts).
        let tenant: TenantID
        if let known = tenants[row.tenant] {
            tenant = known
        } else {
            tenant = TenantID(row.tenant)
            tenants[row.tenant] = tenant
        }
        let signal: DetectionSignal = try StoredRowDecoding(table: AlertRow.databaseTableName, id: row.id)
            .value(row.signal, column: AlertRow.Columns.signal.name)
        self.init(
            id: row.id, ruleID: row.ruleID, ruleName: row.ruleName, severity: row.severity, riskScore: row.riskScore,
            signal: signal, tenant: tenant, eventID: row.eventID, eventTime: row.eventTime, actor: row.actor,
            target: row.target, objectID: row.objectID, outcome: row.outcome, direction: row.direction,
            raisedAt: row.raisedAt,
            triage: stored.latestTriage.map { AlertTriage(by: $0.triagedBy, note: $0.note, at: $0.triagedAt) })
    }

    /// Each of `stored`, in order, sharing one tenant cache.
    static func all(_ stored: [StoredAlert]) throws -> [Alert] {
        var tenants: [String: TenantID] = [:]
        return try stored.map { try Alert(stored: $0, tenants: &tenants) }
    }

    /// The row that stores this alert as raised by run `runID` (its id is assigned on insert).
    func row(runID: Int64) -> AlertRow {
        AlertRow(
            id: 0, ruleID: ruleID, ruleName: ruleName, severity: severity, riskScore: riskScore, signal: signal.rawValue,
            tenant: tenant.rawValue, eventID: eventID, eventTime: eventTime, actor: actor, target: target,
            objectID: objectID, outcome: outcome, direction: direction, raisedAt: raisedAt, runID: runID)
    }
}

extension DetectionRunSummary {
    /// The run `row` records.
    init(stored row: DetectionRunRow) throws {
        let mode: DetectionMode = try StoredRowDecoding(table: DetectionRunRow.databaseTableName, row: String(row.id))
            .value(row.mode, column: DetectionRunRow.Columns.mode.name)
        self.init(
            id: row.id, ranAt: row.ranAt, now: row.now, evaluatedThrough: row.evaluatedThrough,
            eventsEvaluated: row.eventsEvaluated, alertsRaised: row.alertsRaised, ruleSetDigest: row.ruleSetDigest,
            mode: mode, heldBack: row.heldBack, deferred: row.deferred, ruleIDs: row.ruleIDs)
    }
}
