import Core

/// `Allowlist.isAuthorized` remembered per actor text, for one run's judging.
///
/// Drift and reports ask about every change of a period (200,000 at scale) while a handful of admins made them all;
/// turning each actor into an `AccountKey` (trimming, control-character and case work over Unicode) cost more than
/// the rest of the judging. The answer for a text never changes within a run, so it is worked out once per text.
public final class AuthorizedActorMemo {
    private let keys: Set<AccountKey>
    private var answers: [String: Bool] = [:]

    /// Remembers answers against `keys` (`Allowlist.authorizedAdminKeys`).
    public init(keys: Set<AccountKey>) {
        self.keys = keys
    }

    /// `Allowlist.isAuthorized(actor, among: keys)`.
    public func isAuthorized(_ actor: String?) -> Bool {
        guard let actor else { return Allowlist.isAuthorized(nil, among: keys) }
        if let known = answers[actor] { return known }
        let answer = Allowlist.isAuthorized(actor, among: keys)
        answers[actor] = answer
        return answer
    }
}
