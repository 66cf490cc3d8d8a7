import Core
import Detection
import Inventory
import Policy
import Store
import Foundation
import GRDB

extension DriftInputs {
    /// Reads everything a drift run compares from the database: the tenant's inventory at `asOf`, per-day coverage
    /// over the period, the tenant's alerts of the period, every detection run, and the newest stored event of the
    /// period (for control FP-5). `drift` and `report` both use it, so both judge the same facts.
    public static func gather(
        _ db: Database, tenant: TenantID, allowlist: Allowlist, asOf: Date, period: ReportingPeriod
    ) throws -> DriftInputs {
        let inventory = try InventoryBuilder.view(db, tenant: tenant, asOf: asOf)
        let coverage = try CoverageStore.recordsPerDay(db, from: period.firstDay, through: period.lastDay)
        // The analyzer narrows alerts to the period up to as-of; asking for the whole period keeps this independent
        // of whether the store's bounds are inclusive.
        let alerts = try AlertStore.alerts(db, tenant: tenant, from: period.start, to: period.end)
        let runs = try AlertStore.detectionRuns(db)
        let latestEventTime = try newestEventTime(db, tenant: tenant, from: period.start, through: min(period.endInstant, asOf))
        let lost = try CollectionGapStore.lostWindows(db, tenant: tenant, from: period.start, to: period.end)
        return DriftInputs(
            tenant: tenant, asOf: asOf, period: period, inventory: inventory, allowlist: allowlist, coverage: coverage,
            alerts: alerts, detectionRuns: runs, latestEventTime: latestEventTime, lostCollectionWindows: lost)
    }

    /// The newest event time the tenant has stored in `first...last`. Stored timestamps are fixed-width UTC
    /// (`…T10:44:18.123Z`), so text order is time order.
    static func newestEventTime(_ db: Database, tenant: TenantID, from first: Date, through last: Date) throws -> Date? {
        guard first <= last else { return nil }
        let text = try String.fetchOne(
            db, sql: "SELECT MAX(timestamp) FROM event WHERE tenant = ? AND timestamp >= ? AND timestamp <= ?",
            arguments: [tenant.rawValue, UTCTimestamp.format(first), UTCTimestamp.format(last)])
        return text.flatMap(UTCTimestamp.parse)
    }
}
