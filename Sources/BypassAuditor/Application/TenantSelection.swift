import Core
import Inventory
import Store
import Foundation

/// The one tenant policy of every command that reads a tenant's data (inventory, snapshot list, drift, report).
///
/// - `--tenant` names a tenant the database holds data for (any event or snapshot): that tenant, even when it has
///   no bypass data (a tenant whose logs show no bypass change is clean). A tenant the database has never seen is
///   refused with the list: it is a typo or the wrong database far more often than a clean tenant, and a refusal
///   is never mistaken for a clean month.
/// - Without `--tenant`: the only tenant with bypass data (events or snapshots) when exactly one has any, even if
///   other tenants hold other events; the only tenant when there is one; `.unknown` for an empty database.
///   Otherwise the command refuses and lists the tenants with their counts: tenants are never mixed or guessed.
///
/// Whatever is chosen, `TenantChoice.notes` says what else the database holds, so that records without a tenant
/// (the unknown tenant) beside a known one, or a stray record of another tenant, are never passed over in silence.
public enum TenantSelection {
    public static func choose(_ requested: String?, in database: AuditDatabase) throws -> TenantID {
        try select(requested, in: database).tenant
    }

    /// The tenant, why it was chosen, and what else the database holds.
    public static func select(_ requested: String?, in database: AuditDatabase) throws -> TenantChoice {
        try select(requested, holdings: try database.read { db in try TenantHoldingsStore.holdings(db) })
    }

    /// The policy over what the database holds.
    public static func choose(_ requested: String?, holdings: [TenantHoldings]) throws -> TenantID {
        try select(requested, holdings: holdings).tenant
    }

    public static func select(_ requested: String?, holdings: [TenantHoldings]) throws -> TenantChoice {
        if let requested {
            let wanted = TenantID(requested)
            if let match = holdings.first(where: { $0.tenant == wanted }) {
                return TenantChoice(tenant: match.tenant, basis: .requested, holdings: holdings)
            }
            throw TenantSelectionError.unknown(requested: requested, holdings: holdings)
        }
        let withBypassData = holdings.filter(\.hasBypassData)
        if withBypassData.count == 1 {
            return TenantChoice(tenant: withBypassData[0].tenant, basis: .onlyTenantWithBypassData, holdings: holdings)
        }
        if withBypassData.isEmpty {
            if holdings.isEmpty { return TenantChoice(tenant: .unknown, basis: .emptyDatabase, holdings: holdings) }
            if holdings.count == 1 { return TenantChoice(tenant: holdings[0].tenant, basis: .onlyTenant, holdings: holdings) }
        }
        throw TenantSelectionError.several(holdings: holdings)
    }
}

/// The tenant a command looks at, why, and what else the database holds.
public struct TenantChoice: Sendable, Hashable {
    public enum Basis: String, Sendable, Hashable {
        /// `--tenant`.
        case requested
        /// The only tenant with bypass events or snapshots; others hold other events only.
        case onlyTenantWithBypassData = "only-tenant-with-bypass-data"
        /// The only tenant the database holds anything for.
        case onlyTenant = "only-tenant"
        /// Nothing stored yet.
        case emptyDatabase = "empty-database"
    }

    public var tenant: TenantID
    public var basis: Basis
    /// Every tenant the database holds data for, with counts.
    public var holdings: [TenantHoldings]

    /// The tenants not shown.
    public var others: [TenantHoldings] { holdings.filter { $0.tenant != tenant } }

    /// What a user must read beside the output (stderr, the JSON's `tenant_notes`, the report's verdict): the
    /// tenant picked among several, and the unknown tenant (records without `OrganizationId`) beside a known one.
    /// Empty when the database holds one tenant only. Tenant ids are attacker-written text: shown visibly.
    public var notes: [String] {
        var notes: [String] = []
        let others = self.others
        let shown = DisplayText.visible(tenant.description)
        // The unknown tenant chosen is said below, louder.
        if basis == .onlyTenantWithBypassData, !others.isEmpty, !tenant.isUnknown {
            notes.append(
                "tenant \(shown) chosen: it is the only tenant with bypass data. The database also holds "
                    + Self.list(others) + "; pass --tenant to look at another.")
        }
        let known = holdings.filter { !$0.tenant.isUnknown }
        if let unknown = holdings.first(where: \.tenant.isUnknown), !known.isEmpty {
            if tenant.isUnknown {
                notes.append(
                    "this is the UNKNOWN tenant: records stored without OrganizationId (\(unknown.counts)), beside "
                        + "known tenant(s) " + Self.list(known) + ". They are not mixed: the records without a tenant "
                        + "may belong to one of them. Pass --tenant ID to look at a known tenant.")
            } else {
                notes.append(
                    "records stored without OrganizationId (the unknown tenant: \(unknown.counts)) are NOT in this view of "
                        + "tenant \(shown); they may belong to it. Look at them with --tenant ''.")
            }
        }
        return notes
    }

    private static func list(_ holdings: [TenantHoldings]) -> String {
        holdings.map { DisplayText.visible($0.summary) }.joined(separator: "; ")
    }

}

/// The tenant policy refused: the message lists what the database holds and how to choose.
public enum TenantSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknown(requested: String, holdings: [TenantHoldings])
    case several(holdings: [TenantHoldings])

    public var description: String {
        switch self {
        case .unknown(let requested, let holdings):
            let safe = DisplayText.visible(requested)
            return "the database holds no data for tenant \(safe). Known tenants: "
                + (holdings.isEmpty ? "none (the database is empty)" : Self.list(holdings))
        case .several(let holdings):
            let withData = holdings.filter(\.hasBypassData).count
            return "the database holds \(holdings.count) tenants"
                + (withData > 1 ? ", \(withData) with bypass data" : "")
                + "; choose one with --tenant:\n" + Self.list(holdings)
        }
    }

    private static func list(_ holdings: [TenantHoldings]) -> String {
        holdings.map { "  " + DisplayText.visible($0.summary) }.joined(separator: "\n")
    }
}
