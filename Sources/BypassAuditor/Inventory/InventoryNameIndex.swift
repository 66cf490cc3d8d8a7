import Foundation

/// Every name (and GUID) of a view's accounts, for looking many names up at once: matching a 5,000-entry
/// allowlist against 10,000 accounts name by name with `InventoryView.accounts(named:)` would compare every name
/// with every account.
public struct InventoryNameIndex: Sendable {
    private let accountsByKey: [String: [Int]]
    private let accounts: [InventoryAccount]

    public init(_ view: InventoryView) {
        accounts = view.accounts
        var index: [String: [Int]] = [:]
        for (position, account) in view.accounts.enumerated() {
            var keys = Set(account.names.map(InventoryNameIndex.key(for:)))
            for guid in account.guids + (account.guid.map { [$0] } ?? []) { keys.insert(InventoryNameIndex.key(for: guid)) }
            for key in keys { index[key, default: []].append(position) }
        }
        accountsByKey = index
    }

    /// The accounts that go by `name` (whole name, case-insensitive, GUIDs with or without braces). More than one
    /// means the name is ambiguous.
    public func accounts(named name: AccountName) -> [InventoryAccount] {
        (accountsByKey[InventoryNameIndex.key(for: name.text)] ?? []).map { accounts[$0] }
    }

    private static func key(for text: String) -> String {
        let key = AccountName.key(for: text)
        return AccountName.isGUID(key) ? AccountName.normalizedGUID(key) : key
    }
}

extension InventoryView {
    /// An index of every account name, for matching many names (an allowlist) against this view.
    public func nameIndex() -> InventoryNameIndex { InventoryNameIndex(self) }
}
