import Core
import Store
import Foundation
import GRDB

/// Builds the inventory of one tenant at one moment from the stored bypass-change facts (`BypassChangeStore`: never
/// the event documents) and imported snapshots.
///
/// Identities are resolved over everything known (a name learnt later still links an older record); state,
/// history, snapshots and discrepancies are limited to what was true at or before `asOf`.
public enum InventoryBuilder {
    /// The inventory of `tenant` at `asOf`: every account seen by then, its state, history, names and the
    /// disagreements between snapshots and logs.
    public static func view(_ db: Database, tenant: TenantID, asOf: Date) throws -> InventoryView {
        let records = try BypassChangeStore.changes(db, tenant: tenant)
        let snapshots = try SnapshotStore.snapshots(db, tenant: tenant)
        return InventoryAssembly(
            tenant: tenant, asOf: asOf, records: StoredBypassChangeList(records), snapshots: snapshots
        ).view()
    }

    /// `view`, reading the earlier part of the changes here and taking the later part from `laterChanges`
    /// (`BypassChangeStore.changes(_:tenant:part:split:)` with the same `split`, read from the same state on another
    /// connection): a month's changes (200,000 at scale) are read on two threads. `assemblingOnTwoThreads`: its
    /// accounts are put together on two threads too (drift, which does not keep the inventory past its run; a report
    /// does, and puts them together on this one: see `InventoryAssembly.view(onTwoThreads:)`).
    ///
    /// `records` is given every change read, in order, before they are put together: the inventory's changes hold
    /// the same texts (a report shares their event ids with the alerts it reads on another thread).
    public static func view(
        _ db: Database, tenant: TenantID, asOf: Date, split: BypassChangeStore.Split = .threeFifths,
        laterChanges: () throws -> [StoredBypassChange], assemblingOnTwoThreads: Bool = true,
        records handOver: (StoredBypassChangeList) -> Void = { _ in }
    ) throws -> InventoryView {
        let earlier = try BypassChangeStore.changes(db, tenant: tenant, part: .earlier, split: split)
        let snapshots = try SnapshotStore.snapshots(db, tenant: tenant)
        let records = BypassChangeStore.joined(earlier: earlier, later: try laterChanges())
        handOver(records)
        return InventoryAssembly(tenant: tenant, asOf: asOf, records: records, snapshots: snapshots)
            .view(onTwoThreads: assemblingOnTwoThreads)
    }

    /// Tenants that have bypass events or snapshots, sorted.
    public static func tenants(_ db: Database) throws -> [TenantID] {
        let fromEvents = try BypassChangeStore.tenants(db).map(\.rawValue)
        let fromSnapshots = try SnapshotStore.tenants(db).map(\.rawValue)
        return Set(fromEvents + fromSnapshots).map(TenantID.init).sorted()
    }
}
