import Core
import Foundation

/// What the database holds for one tenant: enough to tell a user which tenant they meant.
public struct TenantHoldings: Sendable, Hashable, Codable {
    public var tenant: TenantID
    /// Stored `Set-MailboxAuditBypassAssociation` events.
    public var bypassEvents: Int
    /// Imported snapshots.
    public var snapshots: Int
    /// Stored events of any kind.
    public var events: Int

    public init(tenant: TenantID, bypassEvents: Int, snapshots: Int, events: Int) {
        self.tenant = tenant
        self.bypassEvents = bypassEvents
        self.snapshots = snapshots
        self.events = events
    }

    /// Whether the tenant has anything an inventory is built from.
    public var hasBypassData: Bool { bypassEvents > 0 || snapshots > 0 }

    /// `0b4e… (3 bypass events, 1 snapshot)`.
    public var summary: String { "\(tenant) (\(counts))" }

    /// `3 bypass events, 1 snapshot, 5 events in all`.
    public var counts: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        var parts = [count(bypassEvents, "bypass event"), count(snapshots, "snapshot")]
        if events > bypassEvents { parts.append(count(events, "event") + " in all") }
        return parts.joined(separator: ", ")
    }
}
