import Core
import Foundation

/// Every name (and GUID) of a view's accounts, for looking many names up at once: matching a 5,000-entry
/// allowlist against 10,000 accounts name by name with `InventoryView.accounts(named:)` would compare every name
/// with every account.
public struct InventoryNameIndex: Sendable {
    private let accountsByKey: [AccountKey: [Int]]
    private let accounts: [InventoryAccount]

    public init(_ view: InventoryView) {
        accounts = view.accounts
        var index: [AccountKey: [Int]] = [:]
        for (position, account) in view.accounts.enumerated() {
            for key in account.matchKeys { index[key, default: []].append(position) }
        }
        accountsByKey = index
    }

    /// The accounts that go by `name` (the `AccountKey` rule). More than one means the name is ambiguous.
    public func accounts(named name: AccountName) -> [InventoryAccount] {
        guard let key = name.matchKey else { return [] }
        return (accountsByKey[key] ?? []).map { accounts[$0] }
    }
}

extension InventoryView {
    /// An index of every account name, for matching many names (an allowlist) against this view.
    public func nameIndex() -> InventoryNameIndex { InventoryNameIndex(self) }
}
