import Core
import Policy
import Foundation
import GRDB

extension DriftInputs {
    /// The inputs of one run: `facts` judged against `allowlist` at `asOf` over `period`.
    public init(tenant: TenantID, asOf: Date, period: ReportingPeriod, facts: DriftFacts, allowlist: Allowlist) {
        self.init(
            tenant: tenant, asOf: asOf, period: period, inventory: facts.inventory, allowlist: allowlist,
            coverage: facts.coverage, alerts: facts.alerts, detectionRuns: facts.detectionRuns,
            latestEventTime: facts.latestEventTime, lostCollectionWindows: facts.lostCollectionWindows)
    }

    /// Reads everything a drift run compares from the database in one transaction (`DriftFacts.gather`).
    public static func gather(
        _ db: Database, tenant: TenantID, allowlist: Allowlist, asOf: Date, period: ReportingPeriod
    ) throws -> DriftInputs {
        DriftInputs(
            tenant: tenant, asOf: asOf, period: period,
            facts: try DriftFacts.gather(db, tenant: tenant, asOf: asOf, period: period), allowlist: allowlist)
    }
}
