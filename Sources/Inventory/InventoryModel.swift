import Core
import Foundation

// The public face of the Inventory stage that later stages (drift, reports) read.

/// One account as the inventory knows it: anchored by its GUID where any source gave one, else by a name.
public struct AccountID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var tenant: TenantID
    /// `guid:<lowercased guid>` or `name:<name key>`.
    public var key: String

    public init(tenant: TenantID, key: String) {
        self.tenant = tenant
        self.key = key
    }

    public var description: String { key }

    public static func < (lhs: AccountID, rhs: AccountID) -> Bool {
        (lhs.tenant, lhs.key) < (rhs.tenant, rhs.key)
    }
}

/// What one bypass record did to its account.
public enum ChangeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case enabled
    /// Enabled again after an earlier removal.
    case reenabled
    case removed
    /// The cmdlet failed: nothing changed, but someone tried.
    case failedAttempt = "failed-attempt"
    /// Target or direction could not be read from the record.
    case indeterminate
}

/// One `Set-MailboxAuditBypassAssociation` record, as history.
public struct BypassChange: Sendable, Hashable, Codable {
    public var eventID: String
    public var time: Date
    public var tenant: TenantID
    public var actor: String?
    public var clientIP: String?
    /// The `Identity` parameter as the admin typed it.
    public var identity: String?
    public var objectID: String?
    public var direction: BypassDirection
    public var outcome: EventOutcome
    /// The record's own ResultStatus, when it had one.
    public var originalStatus: String?
    public var kind: ChangeKind

    public init(
        eventID: String, time: Date, tenant: TenantID, actor: String?, clientIP: String?, identity: String?,
        objectID: String?, direction: BypassDirection, outcome: EventOutcome, originalStatus: String?, kind: ChangeKind
    ) {
        self.eventID = eventID
        self.time = time
        self.tenant = tenant
        self.actor = actor
        self.clientIP = clientIP
        self.identity = identity
        self.objectID = objectID
        self.direction = direction
        self.outcome = outcome
        self.originalStatus = originalStatus
        self.kind = kind
    }
}

/// Where an account's current state comes from.
public enum StateSource: String, Sendable, Hashable, Codable {
    case events
    case snapshot
    case both
}

/// One row of one imported `Get-MailboxAuditBypassAssociation` snapshot, as seen for an account.
public struct SnapshotObservation: Sendable, Hashable, Codable {
    public var snapshotID: Int64
    public var takenAt: Date
    /// nil when the row had no readable `AuditBypassEnabled` (indeterminate).
    public var bypassEnabled: Bool?
    /// The row's `Name`: the name Exchange shows.
    public var name: String?
    /// The row's number in the file (1 = first data row); nil when `absent`.
    public var row: Int?
    /// True when the account has no row in a complete snapshot: the snapshot then says "not bypassed" by omission.
    public var absent: Bool

    public init(
        snapshotID: Int64, takenAt: Date, bypassEnabled: Bool?, name: String?, row: Int? = nil, absent: Bool = false
    ) {
        self.snapshotID = snapshotID
        self.takenAt = takenAt
        self.bypassEnabled = bypassEnabled
        self.name = name
        self.row = row
        self.absent = absent
    }
}

/// One account that has, or had, a bypass association, with its state at the view's as-of time.
public struct InventoryAccount: Sendable, Hashable, Codable {
    public var id: AccountID
    /// The best name to show a person (snapshot `Name`, else the identity most used).
    public var displayName: String
    /// The name to hand back to Exchange (`-Identity '…'`): the snapshot's Name, else the Identity an event used.
    public var exchangeName: String
    public var guid: String?
    /// Every name this account goes by, as sources wrote them.
    public var names: [String]
    public var bypassEnabled: Bool
    /// When the current state began (the enabling event or snapshot), when known.
    public var since: Date?
    /// Who set the current state, when an event says.
    public var setBy: String?
    /// The newest successful change event for this account at or before as-of.
    public var lastEventID: String?
    /// The event that began the current state (the one `since` and `setBy` come from); nil when a snapshot began it.
    public var sinceEventID: String?
    public var source: StateSource
    /// Successful changes at or before as-of, oldest first.
    public var changes: [BypassChange]
    /// Failed attempts at or before as-of, oldest first.
    public var attempts: [BypassChange]
    /// Snapshot rows (and absences from complete snapshots) for this account at or before as-of, oldest first.
    public var snapshotObservations: [SnapshotObservation]
    /// Every GUID sources gave for this account (`Guid` and `ExchangeObjectId` may differ); `guid` is one of them.
    public var guids: [String]
    /// Snapshots taken since the current bypass began that say it is off (a False row or absence from a complete
    /// snapshot) while the logs say on: the bypass stays listed, disputed, until a later event or row settles it.
    public var disputedBy: [Int64] = []

    public init(
        id: AccountID, displayName: String, exchangeName: String, guid: String?, names: [String], bypassEnabled: Bool,
        since: Date?, setBy: String?, lastEventID: String?, source: StateSource, changes: [BypassChange],
        attempts: [BypassChange], snapshotObservations: [SnapshotObservation], sinceEventID: String? = nil,
        guids: [String]? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.exchangeName = exchangeName
        self.guid = guid
        self.names = names
        self.bypassEnabled = bypassEnabled
        self.since = since
        self.setBy = setBy
        self.lastEventID = lastEventID
        self.source = source
        self.changes = changes
        self.attempts = attempts
        self.snapshotObservations = snapshotObservations
        self.sinceEventID = sinceEventID
        self.guids = guids ?? (guid.map { [$0] } ?? [])
    }

    /// Every key this account answers to (its names and all its GUIDs), by the one matching rule, `AccountKey`.
    public var matchKeys: Set<AccountKey> {
        AccountKey.keys(of: names + guids + (guid.map { [$0] } ?? []))
    }

    /// Whether `name` is one of this account's names (the `AccountKey` rule: whole name, case-insensitive, GUIDs
    /// with or without braces; a name with control characters is nobody's).
    public func isNamed(_ name: AccountName) -> Bool {
        // A name with control characters matches no other name, only itself (a person looking it up).
        guard let key = name.matchKey else { return names.contains { AccountName.key(for: $0) == name.key } }
        return matchKeys.contains(key)
    }
}

/// One name that resolves to more than one account.
public struct IdentityAmbiguity: Sendable, Hashable, Codable {
    public var name: String
    public var accounts: [AccountID]
    public var detail: String

    public init(name: String, accounts: [AccountID], detail: String) {
        self.name = name
        self.accounts = accounts
        self.detail = detail
    }
}

/// Where a snapshot and the logs disagree, or a snapshot row cannot be read.
public struct SnapshotDiscrepancy: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The snapshot shows a bypass no ingested event explains (set before our logs, or hidden).
        case unexplained
        /// The snapshot contradicts the log-derived state at its taking time.
        case mismatch
        /// A row without a readable `AuditBypassEnabled`.
        case indeterminateRow = "indeterminate-row"
    }

    public var kind: Kind
    public var account: AccountID?
    public var accountName: String
    public var snapshotID: Int64
    public var takenAt: Date
    public var snapshotState: Bool?
    public var logState: Bool?
    /// Event ids behind the log-derived state, if any.
    public var eventIDs: [String]
    public var detail: String

    private enum CodingKeys: String, CodingKey {
        case kind, account, accountName, snapshotID, takenAt, snapshotState, logState
        case eventIDs, detail
    }

    public init(
        kind: Kind, account: AccountID?, accountName: String, snapshotID: Int64, takenAt: Date, snapshotState: Bool?,
        logState: Bool?, eventIDs: [String], detail: String
    ) {
        self.kind = kind
        self.account = account
        self.accountName = accountName
        self.snapshotID = snapshotID
        self.takenAt = takenAt
        self.snapshotState = snapshotState
        self.logState = logState
        self.eventIDs = eventIDs
        self.detail = detail
    }
}

/// One imported snapshot.
public struct SnapshotSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var tenant: TenantID
    public var takenAt: Date
    /// True when `--taken-at` gave the time; false when it is the import time.
    public var takenAtGiven: Bool
    public var fileName: String
    public var sha256: String
    public var rows: Int
    /// True when the snapshot lists every mailbox (absence then means "not bypassed").
    public var complete: Bool
    /// True when `--complete` said so; false when completeness was inferred (the export has rows with False).
    public var completeGiven: Bool
    public var importedAt: Date
    /// `csv` or `json`.
    public var format: String
    public var bypassedRows: Int
    public var notBypassedRows: Int
    /// Rows without a readable `AuditBypassEnabled`.
    public var indeterminateRows: Int

    public init(
        id: Int64, tenant: TenantID, takenAt: Date, takenAtGiven: Bool, fileName: String, sha256: String, rows: Int,
        complete: Bool, completeGiven: Bool = false, importedAt: Date? = nil, format: String = "",
        bypassedRows: Int = 0, notBypassedRows: Int = 0, indeterminateRows: Int = 0
    ) {
        self.id = id
        self.tenant = tenant
        self.takenAt = takenAt
        self.takenAtGiven = takenAtGiven
        self.fileName = fileName
        self.sha256 = sha256
        self.rows = rows
        self.complete = complete
        self.completeGiven = completeGiven
        self.importedAt = importedAt ?? takenAt
        self.format = format
        self.bypassedRows = bypassedRows
        self.notBypassedRows = notBypassedRows
        self.indeterminateRows = indeterminateRows
    }
}

/// The inventory of one tenant at one moment.
public struct InventoryView: Sendable, Hashable, Codable {
    public var tenant: TenantID
    public var asOf: Date
    /// Every account ever seen with a bypass record or snapshot row, whatever its state now.
    public var accounts: [InventoryAccount]
    public var ambiguities: [IdentityAmbiguity]
    /// Snapshot disagreements for snapshots taken at or before as-of.
    public var discrepancies: [SnapshotDiscrepancy]
    /// Bypass records whose target or direction could not be read, at or before as-of.
    public var indeterminateChanges: [BypassChange]
    /// Snapshots taken at or before as-of.
    public var snapshots: [SnapshotSummary]

    public init(
        tenant: TenantID, asOf: Date, accounts: [InventoryAccount], ambiguities: [IdentityAmbiguity],
        discrepancies: [SnapshotDiscrepancy], indeterminateChanges: [BypassChange], snapshots: [SnapshotSummary]
    ) {
        self.tenant = tenant
        self.asOf = asOf
        self.accounts = accounts
        self.ambiguities = ambiguities
        self.discrepancies = discrepancies
        self.indeterminateChanges = indeterminateChanges
        self.snapshots = snapshots
    }

    /// Accounts whose mailbox activity is not audited at as-of.
    public var bypassedAccounts: [InventoryAccount] { accounts.filter(\.bypassEnabled) }

    /// Accounts that go by `name` (whole name, case-insensitive). More than one means the name is ambiguous.
    /// Scans every account: to look up many names, build `nameIndex()` once.
    public func accounts(named name: AccountName) -> [InventoryAccount] {
        accounts.filter { $0.isNamed(name) }
    }

    /// The account with this id, if the view lists it.
    public func account(_ id: AccountID) -> InventoryAccount? {
        accounts.first { $0.id == id }
    }

    /// Accounts a person means by `query`: an account key (`guid:…`, `name:…`), a GUID, or any of its names.
    public func accounts(matching query: String) -> [InventoryAccount] {
        let trimmed = query.whitespaceTrimmed
        if let byKey = accounts.first(where: { $0.id.key == trimmed.lowercased() }) { return [byKey] }
        return accounts(named: AccountName(trimmed))
    }

    /// Discrepancies about one account.
    public func discrepancies(for id: AccountID) -> [SnapshotDiscrepancy] {
        discrepancies.filter { $0.account == id }
    }

    /// Ambiguities that involve one account.
    public func ambiguities(involving id: AccountID) -> [IdentityAmbiguity] {
        ambiguities.filter { $0.accounts.contains(id) }
    }
}
