import Core
import Foundation
import GRDB

/// Counts, per tenant, what the database holds: which tenant a user can have meant when they name none.
public enum TenantHoldingsStore {
    /// Every tenant with stored events or snapshots, with how many of each it has, sorted by tenant.
    public static func holdings(_ db: Database) throws -> [TenantHoldings] {
        var byTenant: [TenantID: TenantHoldings] = [:]
        func empty(_ tenant: TenantID) -> TenantHoldings {
            TenantHoldings(tenant: tenant, bypassEvents: 0, snapshots: 0, events: 0)
        }
        let eventRows = try Row.fetchAll(
            db, sql: "SELECT tenant, COUNT(*) AS events, TOTAL(action = ?) AS bypass FROM event GROUP BY tenant",
            arguments: [ECSField.bypassCmdlet])
        for row in eventRows {
            let tenant = TenantID(try text(row, "tenant", table: "event"))
            byTenant[tenant, default: empty(tenant)].events += row["events"] as Int
            byTenant[tenant, default: empty(tenant)].bypassEvents += Int(row["bypass"] as Double)
        }
        for row in try Row.fetchAll(db, sql: "SELECT tenant, COUNT(*) AS snapshots FROM snapshot GROUP BY tenant") {
            let tenant = TenantID(try text(row, "tenant", table: "snapshot"))
            byTenant[tenant, default: empty(tenant)].snapshots += row["snapshots"] as Int
        }
        return byTenant.values.sorted { $0.tenant < $1.tenant }
    }

    /// The schema declares `tenant` NOT NULL; a NULL here means the file was edited outside the tool.
    private static func text(_ row: Row, _ column: String, table: String) throws -> String {
        guard let value = row[column] as String? else {
            throw StoreError.undecodableRow(table: table, row: "grouped by tenant", column: column, value: "NULL")
        }
        return value
    }
}
