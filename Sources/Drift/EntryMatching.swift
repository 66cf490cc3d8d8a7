import Core
import Inventory
import Policy
import Foundation

/// Which register entries name which inventory accounts.
///
/// An entry matches an account when any of the entry's names (account and aliases) has the same `AccountKey` as any
/// of the account's names or GUIDs: the one matching rule, shared with the inventory and the report.
/// Built once from a key index, so matching stays linear in the number of names.
struct EntryMatching {
    /// Entry indices (into the allowlist's entries) per account index (into the inventory's accounts).
    let entriesByAccount: [[Int]]
    /// Account indices per entry index.
    let accountsByEntry: [[Int]]

    init(inventory: InventoryView, allowlist: Allowlist) {
        var entriesByKey: [AccountKey: [Int]] = [:]
        for (entryIndex, entry) in allowlist.entries.enumerated() {
            for key in entry.matchKeys {
                entriesByKey[key, default: []].append(entryIndex)
            }
        }
        var entriesByAccount: [[Int]] = []
        var accountsByEntry = Array(repeating: [Int](), count: allowlist.entries.count)
        for (accountIndex, account) in inventory.accounts.enumerated() {
            let matched = Set(account.matchKeys.flatMap { entriesByKey[$0] ?? [] }).sorted()
            entriesByAccount.append(matched)
            for entryIndex in matched { accountsByEntry[entryIndex].append(accountIndex) }
        }
        self.entriesByAccount = entriesByAccount
        self.accountsByEntry = accountsByEntry
    }
}
