import ArgumentParser
import BypassAuditor
import Foundation

/// `snapshot list`.
struct SnapshotListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The snapshots imported for a tenant, oldest first.",
        discussion: Examples.snapshotList)

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let listing = try InventoryQuery.snapshots(database.openReadOnly(), tenant: tenantOptions.tenant)
        let (tenant, snapshots) = (listing.tenant, listing.snapshots)
        if json {
            try Console.json(listing)
            return
        }
        let corrections = SnapshotCorrectionText.list(listing.corrections)
        guard !snapshots.isEmpty else {
            Console.out("No snapshot imported for tenant \(tenant)." + corrections)
            return
        }
        var table = TextTable(headers: [
            "ID", "TAKEN AT", "ROWS", "BYPASSED", "NOT", "UNREADABLE", "COMPLETE", "FORMAT", "FILE",
        ])
        for snapshot in snapshots {
            table.add([
                String(snapshot.id),
                UTCTimestamp.format(snapshot.takenAt) + (snapshot.takenAtGiven ? "" : " (import time)")
                    + (listing.corrections.contains { $0.snapshotID == snapshot.id } ? " (re-dated)" : ""),
                String(snapshot.rows), String(snapshot.bypassedRows), String(snapshot.notBypassedRows),
                String(snapshot.indeterminateRows),
                snapshot.complete ? (snapshot.completeGiven ? "yes (--complete)" : "yes") : "possibly filtered",
                snapshot.format, snapshot.fileName,
            ])
        }
        Console.out("Snapshots of tenant \(tenant):\n\n" + table.render() + corrections)
    }
}
