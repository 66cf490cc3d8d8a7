import Core
import Detection
import Drift
import Inventory
import Policy
import Foundation

/// The builder's inputs with the lookups every section needs, computed once (reports run over 10,000 accounts).
struct ReportContext {
    let inputs: ReportInputs
    let asOfDay: UTCDay
    let accountsByKey: [String: InventoryAccount]
    let findingsByAccount: [String: [Finding]]
    let entriesByName: [AccountKey: [AllowlistEntry]]
    let entriesByID: [String: AllowlistEntry]
    /// The period up to as-of and the register's `authorized_admins`.
    let scope: ReportScope
    /// The name key of every actor the inventory mentions, computed once: the same few admins appear in
    /// hundreds of thousands of changes.
    let actorKeys: [String: String]

    init(_ inputs: ReportInputs) {
        self.inputs = inputs
        asOfDay = UTCDay(containing: inputs.asOf)
        var accountsByKey: [String: InventoryAccount] = [:]
        accountsByKey.reserveCapacity(inputs.inventory.accounts.count)
        for account in inputs.inventory.accounts { accountsByKey[account.id.key] = account }
        self.accountsByKey = accountsByKey

        // Drift names each finding's account (`Finding.accountID`); the report takes it from there.
        var findingsByAccount: [String: [Finding]] = [:]
        for finding in inputs.drift.findings {
            guard let key = finding.accountID?.key, accountsByKey[key] != nil else { continue }
            findingsByAccount[key, default: []].append(finding)
        }
        self.findingsByAccount = findingsByAccount

        var entriesByName: [AccountKey: [AllowlistEntry]] = [:]
        var entriesByID: [String: AllowlistEntry] = [:]
        for entry in inputs.allowlist.entries {
            entriesByID[entry.id] = entry
            for key in entry.matchKeys { entriesByName[key, default: []].append(entry) }
        }
        self.entriesByName = entriesByName
        self.entriesByID = entriesByID
        scope = ReportScope(period: inputs.period, asOf: inputs.asOf, allowlist: inputs.allowlist)
        var actorKeys: [String: String] = [:]
        // Runs of one actor are common (the same admin, the same service): a name equal to the one noted before
        // is not looked up again (equal texts read from one store usually share storage, so comparing is cheap).
        var lastNoted: String?
        func note(_ actor: String?) {
            guard let actor, actor != lastNoted else { return }
            lastNoted = actor
            if actorKeys[actor] == nil { actorKeys[actor] = AccountName.key(for: actor) }
        }
        // By index: a `for` loop copied each account and each change whole (200,000 at scale) to read one field.
        let accounts = inputs.inventory.accounts
        for index in accounts.indices {
            note(accounts[index].setBy)
            let (changes, attempts) = (accounts[index].changes, accounts[index].attempts)
            for position in changes.indices { note(changes[position].actor) }
            for position in attempts.indices { note(attempts[position].actor) }
        }
        for change in inputs.inventory.indeterminateChanges { note(change.actor) }
        self.actorKeys = actorKeys
    }

    /// `AccountName.key(for:)` of an actor, from the precomputed table when the inventory mentions it.
    func actorKey(_ actor: String) -> String {
        actorKeys[actor] ?? AccountName.key(for: actor)
    }

    // MARK: Period

    var period: ReportingPeriod { inputs.period }

    /// Inside the period and not after as-of.
    func isInPeriod(_ date: Date) -> Bool { scope.isInPeriod(date) }

    // MARK: Register

    /// Register entries naming any of the account's names or GUIDs (the `AccountKey` rule drift matched by), by id.
    func entries(for account: InventoryAccount) -> [AllowlistEntry] {
        let keys = account.matchKeys
        var seen = Set<String>()
        return keys.flatMap { entriesByName[$0] ?? [] }.filter { seen.insert($0.id).inserted }.sorted { $0.id < $1.id }
    }

    /// The entry drift matched (its findings name it), else the first entry naming the account.
    func entry(for account: InventoryAccount) -> AllowlistEntry? {
        for finding in findingsByAccount[account.id.key] ?? [] {
            if let id = finding.entryID, let entry = entriesByID[id] ?? inputs.allowlist.entry(withID: id) { return entry }
        }
        return entries(for: account).first
    }

    /// How the entry stands at as-of, by the register's own rules (the same facts drift and `allowlist list` use).
    func standing(of entry: AllowlistEntry) -> AllowlistEntryStanding {
        inputs.allowlist.standing(of: entry, on: asOfDay)
    }

    /// Whether `actor` is in `authorized_admins`: nil when the register does not restrict admins or no actor is known.
    func isAuthorized(_ actor: String?) -> Bool? { scope.isAuthorized(actor) }


    /// The name to show for an account key (display name, else the key itself).
    func displayName(ofAccount key: String) -> String {
        accountsByKey[key]?.displayName ?? key
    }
}
