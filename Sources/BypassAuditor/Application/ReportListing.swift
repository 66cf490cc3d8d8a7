import Core
import Reporting
import Store
import Foundation

/// `report list`: every stored report run, grouped by tenant and period, with the digest that pins each folder and
/// why each revision was made or withdrawn. Reads only.
public enum ReportListing {
    /// `report list --json`.
    public struct Document: Sendable, Encodable {
        public var periods: [Period]
    }

    /// The revisions of one period of one tenant, in revision order.
    public struct Period: Sendable, Encodable {
        public var tenant: TenantID
        public var period: String
        /// The latest published revision: the period's report (absent when none is published).
        public var currentRevision: Int?
        public var revisions: [ReportRevision]
    }

    /// Lists the runs of `tenant` (all tenants when nil) and `period` (a folder label such as `2026-10`, all when
    /// nil); with `verify`, checks each folder against its recorded manifest digest.
    public static func run(database: AuditDatabase, tenant: String?, period: String?, verify: Bool) throws -> Document {
        var revisions = try database.read { db in
            try ReportHistory.revisions(db, tenant: tenant.map(TenantID.init), period: period)
        }
        if verify { revisions = revisions.map { $0.checkingFolder() } }
        var periods: [Period] = []
        for revision in revisions {
            if let last = periods.last, last.tenant == revision.tenant, last.period == revision.period {
                periods[periods.count - 1].revisions.append(revision)
            } else {
                periods.append(Period(tenant: revision.tenant, period: revision.period, currentRevision: nil, revisions: [revision]))
            }
        }
        for index in periods.indices {
            periods[index].currentRevision = periods[index].revisions.filter { $0.state == .published }.map(\.revision).max()
        }
        return Document(periods: periods)
    }
}
