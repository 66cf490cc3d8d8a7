/// The register's fixed vocabulary: the keys other tools and reviewers rely on, in the order the schema lists them.
enum AllowlistKeys {
    static let version = "version"
    static let reviewIntervalDays = "review_interval_days"
    static let expiryWarningDays = "expiry_warning_days"
    static let authorizedAdmins = "authorized_admins"
    static let entries = "entries"

    static let topLevel = [version, reviewIntervalDays, expiryWarningDays, authorizedAdmins, entries]

    static let id = "id"
    static let account = "account"
    static let aliases = "aliases"
    static let category = "category"
    static let tool = "tool"
    static let legalBasis = "legal_basis"
    static let owner = "owner"
    static let justification = "justification"
    static let approvedBy = "approved_by"
    static let approvedOn = "approved_on"
    static let ticket = "ticket"
    static let lastReviewedOn = "last_reviewed_on"
    static let expiresOn = "expires_on"

    static let entry = [
        id, account, aliases, category, tool, legalBasis, owner, justification, approvedBy, approvedOn, ticket,
        lastReviewedOn, expiresOn,
    ]

    /// The only register format this tool understands.
    static let supportedVersion = 1
    static let defaultReviewIntervalDays = 90
    static let defaultExpiryWarningDays = 30
}

/// "Did you mean …?" for typos in keys and category names.
enum Suggestion {
    /// The candidate closest to `text` by edit distance, when it is close enough to be a plausible typo
    /// (at most a third of the longer word's length, and never more than 3 edits).
    static func closest(to text: String, among candidates: [String]) -> String? {
        let lowered = text.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(Array(lowered.unicodeScalars), Array(candidate.unicodeScalars))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = min(3, max(1, max(lowered.unicodeScalars.count, best.candidate.unicodeScalars.count) / 3))
        // A different separator or case (`legal-basis`, `Ticket`) is always a plausible slip.
        let normalised = lowered.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        if normalised == best.candidate { return best.candidate }
        // A truncated or over-long key (`review_interval`, `ticket_id`) is a plausible slip too.
        if lowered.count >= 4, let prefixed = candidates.first(where: { candidate in
            [lowered, normalised].contains { candidate.hasPrefix($0) || $0.hasPrefix(candidate) }
        }) {
            return prefixed
        }
        return best.distance <= limit ? best.candidate : nil
    }

    /// Damerau-Levenshtein distance (optimal string alignment): a swap of two neighbours counts as one edit.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
