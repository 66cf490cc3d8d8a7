import Core
import Synchronization

/// `Allowlist.isAuthorized` remembered per actor text, for one run's judging.
///
/// Drift and reports ask about every change of a period (200,000 at scale) while a handful of admins made them all;
/// turning each actor into an `AccountKey` (trimming, control-character and case work over Unicode) cost more than
/// the rest of the judging. The answer for a text never changes within a run, so it is worked out once per text.
///
/// Shared by the threads that judge one run (drift works out its finding families two at a time), so the answers are
/// kept behind a lock; uncontended, it costs far less than the key work it saves.
public final class AuthorizedActorMemo: Sendable {
    private let keys: Set<AccountKey>
    private let answers = Mutex<[String: Bool]>([:])

    /// Remembers answers against `keys` (`Allowlist.authorizedAdminKeys`).
    public init(keys: Set<AccountKey>) {
        self.keys = keys
    }

    /// `Allowlist.isAuthorized(actor, among: keys)`.
    public func isAuthorized(_ actor: String?) -> Bool {
        guard let actor else { return Allowlist.isAuthorized(nil, among: keys) }
        if let known = answers.withLock({ $0[actor] }) { return known }
        let answer = Allowlist.isAuthorized(actor, among: keys)
        answers.withLock { $0[actor] = answer }
        return answer
    }
}
