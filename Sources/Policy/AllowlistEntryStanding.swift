import Core

/// Where an entry's approval stands on a day: the one answer to "is this exception in force", used by drift, the
/// report and the `allowlist` commands alike.
public enum ApprovalStanding: String, Sendable, Hashable, Codable, CaseIterable {
    /// Approved from `approved_on` (when given) through `expires_on` (when given), and not expiring soon.
    case inForce = "in-force"
    /// In force, but `expires_on` is within the register's `expiry_warning_days`.
    case expiring
    /// The day is after `expires_on` (an approval is valid through its expiry day).
    case expired
    /// `approved_on` is after the day: the exception was not yet written then, so it approves nothing yet.
    case notYetApproved = "not-yet-approved"

    /// Whether the entry approves its accounts' bypass on that day.
    public var approves: Bool { self == .inForce || self == .expiring }
}

/// How one entry stands on a given day: the per-entry facts behind `allowlist list` and the drift findings
/// `expired-approval`, `expiring-soon`, `review-overdue` and `incomplete-approval`.
public struct AllowlistEntryStanding: Sendable, Hashable, Codable {
    /// The day judged.
    public var asOf: UTCDay
    /// Whether the approval is in force, expiring, expired or not yet approved on `asOf`.
    public var approval: ApprovalStanding
    /// The approval's `expires_on` has passed (an approval is valid through its expiry day).
    public var expired: Bool
    /// Days from `asOf` to `expires_on` (negative once expired); nil without an expiry.
    public var daysToExpiry: Int?
    /// Not yet expired, but expiring within the register's `expiry_warning_days`.
    public var expiringSoon: Bool
    /// The day the next review is due: `last_reviewed_on` (else `approved_on`) plus `review_interval_days`.
    public var reviewDueOn: UTCDay?
    /// `asOf` is later than `reviewDueOn`.
    public var reviewOverdue: Bool
    /// Fields the category requires that are missing or empty.
    public var missingFields: [String]

    /// Short labels for tables: `expired`, `expiring`, `review-overdue`, `incomplete`, or `ok`.
    public var labels: [String] {
        var labels: [String] = []
        if approval == .notYetApproved { labels.append("not-yet-approved") }
        if expired { labels.append("expired") }
        if expiringSoon { labels.append("expiring") }
        if reviewOverdue { labels.append("review-overdue") }
        if !missingFields.isEmpty { labels.append("incomplete") }
        return labels.isEmpty ? ["ok"] : labels
    }
}

extension Allowlist {
    /// How `entry` stands on `day` under this register's review interval and expiry warning.
    ///
    /// An entry never reviewed since approval is due one interval after `approved_on` (the approval is the first
    /// review); with neither date there is no due date, and `incomplete` already says why.
    public func standing(of entry: AllowlistEntry, on day: UTCDay) -> AllowlistEntryStanding {
        let daysToExpiry = entry.expiresOn.map { day.distance(to: $0) }
        let expired = !entry.isApproved(on: day)
        let expiringSoon = !expired && (daysToExpiry.map { $0 <= expiryWarningDays } ?? false)
        let reviewDueOn = (entry.lastReviewedOn ?? entry.approvedOn)?.advanced(by: reviewIntervalDays)
        let reviewOverdue = reviewDueOn.map { day > $0 } ?? false
        let approval: ApprovalStanding =
            if let approvedOn = entry.approvedOn, day < approvedOn { .notYetApproved }
            else if expired { .expired }
            else if expiringSoon { .expiring }
            else { .inForce }
        return AllowlistEntryStanding(
            asOf: day, approval: approval, expired: expired, daysToExpiry: daysToExpiry, expiringSoon: expiringSoon, reviewDueOn: reviewDueOn,
            reviewOverdue: reviewOverdue, missingFields: entry.missingRequiredFields)
    }

    /// Up to three entry ids nearest to `id` by edit distance, for telling a user who mistyped one.
    public func closestIDs(to id: String) -> [String] { AllowlistIDs.closest(to: id, among: entries.map(\.id)) }

    /// The entry with `id` (ids compare case-insensitively).
    public func entry(withID id: String) -> AllowlistEntry? {
        let key = AllowlistIDs.key(id)
        return entries.first { AllowlistIDs.key($0.id) == key }
    }
}
