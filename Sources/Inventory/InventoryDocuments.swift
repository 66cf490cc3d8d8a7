import Core
import Foundation

/// `inventory --json`: `{"as_of", "tenant", "accounts": [{"account", "account_id", "names", "bypass_enabled",
/// "since", "set_by", "since_event_id", "last_event_id", "source", "attempts", "guid", "exchange_name",
/// "disputed_by"}], "ambiguities", "discrepancies", "indeterminate_changes", "snapshots"}`.
public struct InventoryListDocument: Sendable, Encodable {
    public struct Account: Sendable, Encodable {
        public var account: String
        public var accountID: String
        public var names: [String]
        public var bypassEnabled: Bool
        public var since: Date?
        public var setBy: String?
        public var sinceEventID: String?
        public var lastEventID: String?
        public var source: StateSource
        public var attempts: Int
        public var guid: String?
        public var exchangeName: String
        /// Complete snapshots that do not list this logged bypass: it stays enabled, disputed (ids, oldest first).
        public var disputedBy: [Int64]

        enum CodingKeys: String, CodingKey {
            case account, accountID, names, bypassEnabled, since, setBy, sinceEventID
            case lastEventID, source, attempts, guid, exchangeName, disputedBy
        }

        // Absent values are written as null, so every documented key is always present.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(account, forKey: .account)
            try container.encode(accountID, forKey: .accountID)
            try container.encode(names, forKey: .names)
            try container.encode(bypassEnabled, forKey: .bypassEnabled)
            try container.encode(since, forKey: .since)
            try container.encode(setBy, forKey: .setBy)
            try container.encode(sinceEventID, forKey: .sinceEventID)
            try container.encode(lastEventID, forKey: .lastEventID)
            try container.encode(source, forKey: .source)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(guid, forKey: .guid)
            try container.encode(exchangeName, forKey: .exchangeName)
            try container.encode(disputedBy, forKey: .disputedBy)
        }
    }

    public var asOf: Date
    public var tenant: TenantID
    public var accounts: [Account]
    public var ambiguities: [IdentityAmbiguity]
    public var discrepancies: [SnapshotDiscrepancy]
    public var indeterminateChanges: [BypassChange]
    public var snapshots: [SnapshotSummary]
    /// What else the database holds beside this tenant (records without a tenant, the tenant picked among
    /// several); empty when it holds this tenant only.
    public var tenantNotes: [String]

    public init(view: InventoryView, accounts: [InventoryAccount], tenantNotes: [String] = []) {
        self.tenantNotes = tenantNotes
        asOf = view.asOf
        tenant = view.tenant
        self.accounts = accounts.map { account in
            Account(
                account: account.displayName, accountID: account.id.key, names: account.names,
                bypassEnabled: account.bypassEnabled, since: account.since, setBy: account.setBy,
                sinceEventID: account.sinceEventID, lastEventID: account.lastEventID, source: account.source,
                attempts: account.attempts.count, guid: account.guid, exchangeName: account.exchangeName,
                disputedBy: account.disputedBy)
        }
        ambiguities = view.ambiguities
        discrepancies = view.discrepancies
        indeterminateChanges = view.indeterminateChanges
        snapshots = view.snapshots
    }
}

/// `inventory show --json`: `{"as_of", "tenant", "query", "accounts": [{"account", "discrepancies",
/// "ambiguities"}]}`.
public struct InventoryShowDocument: Sendable, Encodable {
    /// One account a query matched, with what concerns it.
    public struct Shown: Sendable, Encodable {
        public var account: InventoryAccount
        public var discrepancies: [SnapshotDiscrepancy]
        public var ambiguities: [IdentityAmbiguity]
    }

    public var asOf: Date
    public var tenant: TenantID
    public var query: String
    public var accounts: [Shown]

    /// The accounts of `view` that `query` (a name, GUID or account id) names; empty when none.
    public init(view: InventoryView, query: String) {
        asOf = view.asOf
        tenant = view.tenant
        self.query = query
        accounts = view.accounts(matching: query).map { match in
            Shown(
                account: match, discrepancies: view.discrepancies(for: match.id),
                ambiguities: view.ambiguities(involving: match.id))
        }
    }
}
