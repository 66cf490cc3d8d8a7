import Core
import Inventory
import Store
import Foundation

/// `inventory` and `snapshot list`: a tenant's inventory at a moment, as the tenant policy chooses the tenant.
public enum InventoryQuery {
    /// The inventory of the chosen tenant at `asOf`. Events ingested since the last refresh are projected once
    /// here rather than read from their documents on every view; when the file cannot be written the view is the
    /// same, only slower, so a failed refresh is not an error.
    public static func view(_ database: AuditDatabase, tenant requested: String?, asOf: Date) throws -> InventoryAnswer {
        let holdings = try database.read { db in try TenantHoldingsStore.holdings(db) }
        let choice = try TenantSelection.select(requested, holdings: holdings)
        let view = try database.read { db in try InventoryBuilder.view(db, tenant: choice.tenant, asOf: asOf) }
        return InventoryAnswer(
            view: view, databaseHasBypassData: holdings.contains(where: \.hasBypassData), tenantChoice: choice)
    }

    /// The snapshots imported for the chosen tenant, oldest first.
    public static func snapshots(_ database: AuditDatabase, tenant requested: String?) throws -> SnapshotListDocument {
        let tenant = try TenantSelection.choose(requested, in: database)
        return try database.read { db in
            SnapshotListDocument(
                tenant: tenant, snapshots: try SnapshotStore.snapshots(db, tenant: tenant).map(\.summary),
                corrections: try SnapshotCorrector.corrections(db, tenant: tenant))
        }
    }

}

/// An inventory view, and whether the database holds any bypass data at all (an empty database is said so, not
/// shown as an empty inventory).
public struct InventoryAnswer: Sendable {
    public var view: InventoryView
    public var databaseHasBypassData: Bool
    /// The tenant shown, why, and what else the database holds (`notes`).
    public var tenantChoice: TenantChoice
}

/// `snapshot list --json`: `{"tenant", "snapshots": [...], "corrections": [...]}`.
public struct SnapshotListDocument: Sendable, Encodable {
    public var tenant: TenantID
    public var snapshots: [SnapshotSummary]
    /// Snapshots removed or re-dated (`snapshot remove` / `snapshot redate`), oldest first.
    public var corrections: [SnapshotCorrection]
}
