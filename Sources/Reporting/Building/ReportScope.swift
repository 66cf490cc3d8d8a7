import Core
import Policy
import Foundation

/// What every row of a report is placed by: the period up to as-of, and the register's `authorized_admins`. One
/// owner for both rules, which the change rows (made before drift's result is at hand) and the rest of the report
/// (`ReportContext`) apply alike.
struct ReportScope {
    let period: ReportingPeriod
    let asOf: Date
    /// `authorized_admins` as `AccountKey`s (empty: not checked).
    let authorizedAdminKeys: Set<AccountKey>
    /// `authorizedAdminKeys` checks, remembered per actor (a few admins make every change of a period).
    let authorizedActors: AuthorizedActorMemo

    init(period: ReportingPeriod, asOf: Date, allowlist: Allowlist) {
        self.period = period
        self.asOf = asOf
        authorizedAdminKeys = allowlist.authorizedAdminKeys
        authorizedActors = AuthorizedActorMemo(keys: authorizedAdminKeys)
    }

    /// Inside the period and not after as-of.
    func isInPeriod(_ date: Date) -> Bool { period.contains(date) && date <= asOf }

    /// Whether `actor` is in `authorized_admins`: nil when the register does not restrict admins or no actor is known.
    func isAuthorized(_ actor: String?) -> Bool? {
        guard !authorizedAdminKeys.isEmpty, let actor, !actor.isEmpty else { return nil }
        return authorizedActors.isAuthorized(actor)
    }
}
