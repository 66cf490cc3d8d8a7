import Core
import Inventory
import Foundation

/// The report's rows of the period's bypass records (`ReportChange`): they need the inventory, the period and the
/// register's `authorized_admins`, nothing drift judged, so a caller can make them, and write `changes.csv` from
/// them (`RenderedAhead`), before the rest of the report is built.
struct ReportChangeRows {
    let inventory: InventoryView
    let scope: ReportScope

    /// Every enable, removal, re-enable, failed attempt and unreadable record inside the period, oldest first (then by
    /// event id).
    ///
    /// The order is worked out on small references first and each row is made once, in place: at 200,000 changes,
    /// building the rows and then a sorted copy held both at once.
    func rows() -> [ReportChange] {
        enum Source { case change(account: Int, index: Int), attempt(account: Int, index: Int), unattached(index: Int) }
        var sources: [(time: Date, eventID: String, source: Source)] = []
        let accounts = inventory.accounts
        // By position, reading fields in place: looping over the values copied every change (its texts retained).
        for accountIndex in accounts.indices {
            let changes = accounts[accountIndex].changes
            for index in changes.indices where scope.isInPeriod(changes[index].time) {
                sources.append((changes[index].time, changes[index].eventID, .change(account: accountIndex, index: index)))
            }
            let attempts = accounts[accountIndex].attempts
            for index in attempts.indices where scope.isInPeriod(attempts[index].time) {
                sources.append((attempts[index].time, attempts[index].eventID, .attempt(account: accountIndex, index: index)))
            }
        }
        // An unreadable record is listed once, even if the inventory also attached it to an account.
        let unattached = inventory.indeterminateChanges
        if !unattached.isEmpty {
            let listed = Set(sources.map(\.eventID))
            for (index, change) in unattached.enumerated() where scope.isInPeriod(change.time) && !listed.contains(change.eventID) {
                sources.append((change.time, change.eventID, .unattached(index: index)))
            }
        }
        sources.sort { $0.time != $1.time ? $0.time < $1.time : $0.eventID < $1.eventID }
        var rows: [ReportChange] = []
        rows.reserveCapacity(sources.count)
        // Each row names its account by key and display name, taken here once per account: passing the account
        // itself copied all of it (every change it holds, retained) for each of a month's 200,000 rows.
        let names = accounts.map { (key: $0.id.key, display: $0.displayName) }
        for (_, _, source) in sources {
            switch source {
            case .change(let account, let index): rows.append(row(for: accounts[account].changes[index], account: names[account]))
            case .attempt(let account, let index): rows.append(row(for: accounts[account].attempts[index], account: names[account]))
            case .unattached(let index): rows.append(row(for: unattached[index], account: nil))
            }
        }
        return rows
    }

    private func row(for change: BypassChange, account: (key: String, display: String)?) -> ReportChange {
        ReportChange(
            eventID: change.eventID, time: change.time, kind: change.kind,
            accountKey: account?.key, account: account?.display ?? change.identity, identity: change.identity,
            actor: change.actor, actorAuthorized: scope.isAuthorized(change.actor), clientIP: change.clientIP,
            outcome: change.outcome, direction: change.direction, originalStatus: change.originalStatus)
    }
}
