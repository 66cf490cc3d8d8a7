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
        let latestEventTime = try EventStore.newestEventTime(db, tenant: tenant, from: period.start, through: min(period.endInstant, asOf))
        let lost = try CollectionGapStore.lostWindows(db, tenant: tenant, from: period.start, to: period.end)
        return DriftInputs(
            tenant: tenant, asOf: asOf, period: period, inventory: inventory, allowlist: allowlist, coverage: coverage,
            alerts: alerts, detectionRuns: runs, latestEventTime: latestEventTime, lostCollectionWindows: lost)
    }
}
