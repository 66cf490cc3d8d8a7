import Foundation

/// Which register entries name which inventory accounts.
///
/// An entry matches an account when any of the entry's names (account and aliases) equals any of the account's
/// names or its GUID: whole names, case-insensitive, never prefixes or substrings (`svc` is not `svc-backup`).
/// Built once from a key index, so matching stays linear in the number of names.
struct EntryMatching {
    /// Entry indices (into the allowlist's entries) per account index (into the inventory's accounts).
    let entriesByAccount: [[Int]]
    /// Account indices per entry index.
    let accountsByEntry: [[Int]]

    init(inventory: InventoryView, allowlist: Allowlist) {
        var entriesByKey: [String: [Int]] = [:]
        for (entryIndex, entry) in allowlist.entries.enumerated() {
            for key in Set(entry.names.map(\.key)) where !key.isEmpty {
                entriesByKey[key, default: []].append(entryIndex)
            }
        }
        var entriesByAccount: [[Int]] = []
        var accountsByEntry = Array(repeating: [Int](), count: allowlist.entries.count)
        for (accountIndex, account) in inventory.accounts.enumerated() {
            var keys = Set(account.names.map(AccountName.key(for:)))
            if let guid = account.guid { keys.insert(AccountName.key(for: guid)) }
            let matched = Set(keys.flatMap { entriesByKey[$0] ?? [] }).sorted()
            entriesByAccount.append(matched)
            for entryIndex in matched { accountsByEntry[entryIndex].append(accountIndex) }
        }
        self.entriesByAccount = entriesByAccount
        self.accountsByEntry = accountsByEntry
    }
}
