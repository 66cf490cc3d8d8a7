import Core
import Detection
import Inventory
import Policy
import Foundation

/// The inputs plus the indexes every finding family needs, computed once per run. Shared by the threads that work
/// out the finding families.
struct DriftContext: Sendable {
    let inputs: DriftInputs
    let matching: EntryMatching
    let asOfDay: UTCDay
    let window: ClosedRange<Date>?
    /// The tenant's impairment alerts whose events fall in the activity window, whole, oldest event first.
    let impairmentAlerts: [Alert]
    /// Entries by id (ids are unique in a valid register; the first wins otherwise).
    let entriesByID: [String: AllowlistEntry]
    /// Entry positions (into the allowlist's entries) by id, the first wins.
    let entryIndexByID: [String: Int]
    let authorizedAdminKeys: Set<AccountKey>
    /// `authorizedAdminKeys` checks, remembered per actor (a few admins make every change of a period).
    private var authorizedActors: AuthorizedActorMemo

    init(_ inputs: DriftInputs) {
        self.inputs = inputs
        asOfDay = inputs.asOfDay
        let window = inputs.activityWindow
        self.window = window
        matching = EntryMatching(inventory: inputs.inventory, allowlist: inputs.allowlist)
        impairmentAlerts = Self.judged(inputs.alerts.impairments, of: inputs.tenant, in: window)
        authorizedAdminKeys = inputs.allowlist.authorizedAdminKeys
        authorizedActors = AuthorizedActorMemo(keys: authorizedAdminKeys)
        entriesByID = Dictionary(inputs.allowlist.entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        entryIndexByID = Dictionary(
            inputs.allowlist.entries.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// This context with actor checks remembered apart, for a thread of its own: two threads asking one memo about
    /// every change of a month (200,000 at scale) waited on its lock.
    var withOwnActorMemo: DriftContext {
        var context = self
        context.authorizedActors = AuthorizedActorMemo(keys: authorizedAdminKeys)
        return context
    }

    /// `alerts` of `tenant` whose events fall in `window`, in event order: the alerts drift judges and cites.
    static func judged<Item: TenantAlert>(_ alerts: [Item], of tenant: TenantID, in window: ClosedRange<Date>?)
        -> [Item]
    {
        func isJudged(_ alert: Item) -> Bool { alert.tenant == tenant && window?.contains(alert.eventTime) == true }
        var judged = alerts
        if !judged.allSatisfy(isJudged) { judged.removeAll { !isJudged($0) } }
        return judged.inEventOrder()
    }

    var inventory: InventoryView { inputs.inventory }
    var allowlist: Allowlist { inputs.allowlist }
    var tenant: TenantID { inputs.tenant }

    func inWindow(_ date: Date) -> Bool { window?.contains(date) == true }

    /// How the entry stands on the as-of day (`Allowlist.standing(of:on:)`, the one rule).
    func standing(of entry: AllowlistEntry) -> AllowlistEntryStanding {
        allowlist.standing(of: entry, on: asOfDay)
    }

    func entries(ofAccountAt index: Int) -> [AllowlistEntry] {
        matching.entriesByAccount[index].map { allowlist.entries[$0] }
    }

    func accounts(ofEntryAt index: Int) -> [InventoryAccount] {
        matching.accountsByEntry[index].map { inventory.accounts[$0] }
    }

    /// The one account the entry with `id` names, nil when it names none or several (a register finding is then
    /// about the entry alone).
    /// The one inventory account an entry matches, if exactly one: findings about the entry then name the account
    /// as the inventory does, so the same account reads the same in every output.
    func soleInventoryAccount(ofEntryID id: String) -> InventoryAccount? {
        guard let index = entryIndexByID[id] else { return nil }
        let accounts = matching.accountsByEntry[index]
        return accounts.count == 1 ? inventory.accounts[accounts[0]] : nil
    }

    /// Whether the register checks actors at all (an empty `authorized_admins` means "not checked").
    var checksActors: Bool { !authorizedAdminKeys.isEmpty }

    /// True only when actors are checked and `actor` is not one of the authorized admins (the same rule as
    /// `Allowlist.isAuthorizedAdmin`, with the keys computed once).
    func isUnauthorized(_ actor: String?) -> Bool {
        guard checksActors else { return false }
        return !authorizedActors.isAuthorized(actor)
    }

    /// The newest snapshot at or before as-of, if any.
    var latestSnapshot: SnapshotSummary? {
        inventory.snapshots.filter { $0.takenAt <= inputs.asOf }.max { ($0.takenAt, $0.id) < ($1.takenAt, $1.id) }
    }

    /// Snapshots whose disagreements still speak for the present: those taken in the period, and the newest one
    /// (which, when older than the period, is still the latest word on the accounts). Older superseded snapshots
    /// are history; a permanent finding about them could never be resolved.
    var currentSnapshotIDs: Set<Int64> {
        var ids = Set(inventory.snapshots.filter { inWindow($0.takenAt) }.map(\.id))
        if let latestSnapshot { ids.insert(latestSnapshot.id) }
        return ids
    }

    /// Evidence for one bypass record; the alerts it raised follow it once the result cites them
    /// (`UncitedDriftResult.citing`).
    func evidence(for change: BypassChange, note: String) -> [Evidence] {
        var event = Evidence(kind: .event, reference: change.eventID, time: change.time, note: note)
        event.awaitsAlerts = true
        return [event]
    }

    /// Evidence that `account` is bypassed now: the enabling record and the newest snapshot row that shows it.
    func bypassStateEvidence(_ account: InventoryAccount) -> [Evidence] {
        var evidence: [Evidence] = []
        if let enabling = account.changes.last(where: { $0.kind == .enabled || $0.kind == .reenabled }) {
            evidence += self.evidence(
                for: enabling,
                note: "\(enabling.kind == .reenabled ? "bypass re-enabled" : "bypass enabled") by \(RemediationText.actor(enabling.actor))"
                    + (enabling.clientIP.map { " from \($0)" } ?? ""))
        }
        if let observation = account.snapshotObservations.last(where: { $0.bypassEnabled == true }) {
            evidence.append(
                Evidence(
                    kind: .snapshot, reference: String(observation.snapshotID), time: observation.takenAt,
                    note: "snapshot shows AuditBypassEnabled True"))
        }
        return evidence
    }

    /// What shows an account exists: its newest record and newest snapshot row.
    func presenceEvidence(_ account: InventoryAccount) -> [Evidence] {
        var evidence: [Evidence] = []
        if let change = [account.changes, account.attempts].joined().max(by: { $0.time < $1.time }) {
            evidence.append(
                Evidence(kind: .event, reference: change.eventID, time: change.time, note: "account \(account.id.key)"))
        }
        if let observation = account.snapshotObservations.last {
            evidence.append(
                Evidence(
                    kind: .snapshot, reference: String(observation.snapshotID), time: observation.takenAt,
                    note: "account \(account.id.key)"))
        }
        return evidence
    }

    /// `… since 2026-10-03T08:00:00.000Z, set by 'admin@contoso.com'`, as far as the inventory knows; for a state
    /// only a snapshot shows, the snapshot's time is when it was seen, not when it was set.
    func sinceClause(_ account: InventoryAccount) -> String {
        if account.source == .snapshot, account.setBy == nil {
            let seen = account.since.map { " taken \(RemediationText.time($0))" } ?? ""
            return " (shown by a snapshot\(seen); the logs held do not say when or by whom it was set)"
        }
        var clause = ""
        if let since = account.since { clause += " since \(RemediationText.time(since))" }
        if let setBy = account.setBy { clause += ", set by '\(setBy)'" }
        return clause
    }
}

/// What `DriftContext` narrows both kinds of alert by: tenant and event order.
public protocol TenantAlert: InEventOrder {
    var tenant: TenantID { get }
}

extension Alert: TenantAlert {}
extension AlertReference: TenantAlert {}

/// What a finding cites of an alert (`UncitedDriftResult.citing`): read as a reference by a drift run, held whole by
/// a report.
public protocol CitedAlert: TenantAlert, RaisedOnEvent, Sendable {
    var raisedAt: Date { get }
    var ruleName: String { get }
}

extension Alert: CitedAlert {}
extension AlertReference: CitedAlert {}

extension Finding {
    /// The one finding order, owned by drift: most severe first, then by id (so by kind, then subject). Drift
    /// returns its findings in this order and every output (drift's text and JSON, every report format) keeps it.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        precedes((lhs.severity, lhs.id), (rhs.severity, rhs.id))
    }

    /// `reportOrder` over a finding's severity and id, for lists that hold only those (a previous report's findings).
    public static func precedes(_ lhs: (severity: Severity, id: String), _ rhs: (severity: Severity, id: String)) -> Bool {
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        return lhs.id < rhs.id
    }
}
