import Core
import Foundation

/// `Allowlist.isAuthorized` remembered per actor text, for one run's judging.
///
/// Drift and reports ask about every change of a period (200,000 at scale) while a handful of admins made them all;
/// turning each actor into an `AccountKey` (trimming, control-character and case work over Unicode) cost more than
/// the rest of the judging. The answer for a text never changes within a run, so it is worked out once per text.
///
/// Shared by the threads that judge one run (drift judges FP-5 beside its findings), so the answers are kept behind a
/// lock; uncontended, it costs far less than the key work it saves. `NSLock` rather than `Mutex`: the package's
/// macOS 13 floor rules `Mutex` out.
public final class AuthorizedActorMemo: @unchecked Sendable {
    private let keys: Set<AccountKey>
    private let lock = NSLock()
    private var answers: [String: Bool] = [:]

    /// Remembers answers against `keys` (`Allowlist.authorizedAdminKeys`).
    public init(keys: Set<AccountKey>) {
        self.keys = keys
    }

    /// `Allowlist.isAuthorized(actor, among: keys)`.
    public func isAuthorized(_ actor: String?) -> Bool {
        guard let actor else { return Allowlist.isAuthorized(nil, among: keys) }
        if let known = lock.withLock({ answers[actor] }) { return known }
        let answer = Allowlist.isAuthorized(actor, among: keys)
        lock.withLock { answers[actor] = answer }
        return answer
    }
}
