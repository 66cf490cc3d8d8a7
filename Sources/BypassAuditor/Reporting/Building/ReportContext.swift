import Foundation

/// The builder's inputs with the lookups every section needs, computed once (reports run over 10,000 accounts).
struct ReportContext {
    let inputs: ReportInputs
    let asOfDay: UTCDay
    let accountsByKey: [String: InventoryAccount]
    /// Account keys by every name (and GUID) the inventory knows them by.
    let accountKeysByName: [String: [String]]
    /// The inventory account each finding is about, by finding id.
    let accountKeyByFinding: [String: String]
    let findingsByAccount: [String: [Finding]]
    let entriesByName: [String: [AllowlistEntry]]
    let entriesByID: [String: AllowlistEntry]
    let alertsByEvent: [String: [Alert]]
    /// `authorized_admins` as name keys (empty: not checked).
    let authorizedAdminKeys: Set<String>
    /// The name key of every actor the inventory mentions, computed once: the same few admins appear in
    /// hundreds of thousands of changes.
    let actorKeys: [String: String]

    init(_ inputs: ReportInputs) {
        self.inputs = inputs
        asOfDay = UTCDay(containing: inputs.asOf)
        var accountsByKey: [String: InventoryAccount] = [:]
        var keysByName: [String: [String]] = [:]
        for account in inputs.inventory.accounts {
            accountsByKey[account.id.key] = account
            for name in ReportContext.matchKeys(of: account) {
                keysByName[name, default: []].append(account.id.key)
            }
        }
        self.accountsByKey = accountsByKey
        accountKeysByName = keysByName

        var keyByFinding: [String: String] = [:]
        var findingsByAccount: [String: [Finding]] = [:]
        for finding in inputs.drift.findings {
            guard let key = ReportContext.accountKey(of: finding, accounts: accountsByKey, keysByName: keysByName) else { continue }
            keyByFinding[finding.id] = key
            findingsByAccount[key, default: []].append(finding)
        }
        accountKeyByFinding = keyByFinding
        self.findingsByAccount = findingsByAccount

        var entriesByName: [String: [AllowlistEntry]] = [:]
        var entriesByID: [String: AllowlistEntry] = [:]
        for entry in inputs.allowlist.entries {
            entriesByID[entry.id] = entry
            for name in Set(entry.names.map { ReportContext.matchKey($0.text) }) { entriesByName[name, default: []].append(entry) }
        }
        self.entriesByName = entriesByName
        self.entriesByID = entriesByID
        alertsByEvent = Dictionary(grouping: inputs.alerts, by: \.eventID)
        authorizedAdminKeys = Set(inputs.allowlist.authorizedAdmins.map(AccountName.key(for:)))
        var actorKeys: [String: String] = [:]
        func note(_ actor: String?) {
            guard let actor, actorKeys[actor] == nil else { return }
            actorKeys[actor] = AccountName.key(for: actor)
        }
        for account in inputs.inventory.accounts {
            note(account.setBy)
            for change in account.changes { note(change.actor) }
            for attempt in account.attempts { note(attempt.actor) }
        }
        for change in inputs.inventory.indeterminateChanges { note(change.actor) }
        self.actorKeys = actorKeys
    }

    /// `AccountName.key(for:)` of an actor, from the precomputed table when the inventory mentions it.
    func actorKey(_ actor: String) -> String {
        actorKeys[actor] ?? AccountName.key(for: actor)
    }

    /// The inventory account a finding is about: the account key in its stable id (`kind:<key>`), the key itself,
    /// else an unambiguous name (drift shows accounts by display name).
    private static func accountKey(
        of finding: Finding, accounts: [String: InventoryAccount], keysByName: [String: [String]]
    ) -> String? {
        let prefix = finding.kind.rawValue + ":"
        if finding.id.hasPrefix(prefix), accounts[String(finding.id.dropFirst(prefix.count))] != nil {
            return String(finding.id.dropFirst(prefix.count))
        }
        guard let account = finding.account else { return nil }
        if accounts[account] != nil { return account }
        let candidates = Set(([account] + finding.names).flatMap { keysByName[matchKey($0)] ?? [] })
        return candidates.count == 1 ? candidates.first : nil
    }

    // MARK: Period

    var period: ReportingPeriod { inputs.period }

    /// Inside the period and not after as-of.
    func isInPeriod(_ date: Date) -> Bool { period.contains(date) && date <= inputs.asOf }

    // MARK: Register

    /// The key two names match on: the account-name key, with GUIDs in one form (lowercase, no braces), as the
    /// inventory's identity resolution compares them.
    static func matchKey(_ text: String) -> String {
        let key = AccountName.key(for: text)
        return AccountName.isGUID(key) ? AccountName.normalizedGUID(key) : key
    }

    /// Every key an inventory account answers to: its names and all its GUIDs.
    static func matchKeys(of account: InventoryAccount) -> Set<String> {
        Set((account.names + account.guids + [account.guid].compactMap { $0 }).map(matchKey))
    }

    /// Register entries naming any of the account's names or GUIDs, by id.
    func entries(for account: InventoryAccount) -> [AllowlistEntry] {
        let keys = ReportContext.matchKeys(of: account)
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
    func isAuthorized(_ actor: String?) -> Bool? {
        guard !authorizedAdminKeys.isEmpty, let actor, !actor.isEmpty else { return nil }
        // Same whole-name, case-insensitive rule as `Allowlist.isAuthorizedAdmin`, without re-keying the list per call.
        return authorizedAdminKeys.contains(actorKey(actor))
    }


    /// The name to show for an account key (display name, else the key itself).
    func displayName(ofAccount key: String) -> String {
        accountsByKey[key]?.displayName ?? key
    }
}
