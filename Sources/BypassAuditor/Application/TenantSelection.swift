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
public enum TenantSelection {
    public static func choose(_ requested: String?, in database: AuditDatabase) throws -> TenantID {
        try choose(requested, holdings: try database.read { db in try InventoryBuilder.holdings(db) })
    }

    /// The policy over what the database holds.
    public static func choose(_ requested: String?, holdings: [TenantHoldings]) throws -> TenantID {
        if let requested {
            let wanted = TenantID(requested)
            if let match = holdings.first(where: { $0.tenant == wanted }) { return match.tenant }
            throw TenantSelectionError.unknown(requested: requested, holdings: holdings)
        }
        let withBypassData = holdings.filter(\.hasBypassData)
        if withBypassData.count == 1 { return withBypassData[0].tenant }
        if withBypassData.isEmpty {
            if holdings.isEmpty { return .unknown }
            if holdings.count == 1 { return holdings[0].tenant }
        }
        throw TenantSelectionError.several(holdings: holdings)
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
