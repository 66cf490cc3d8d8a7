import Core
import Policy
import Foundation

/// A register entry with a date that matters (expiry, review due) and how far away it is.
public struct EntryDateNotice: Sendable, Hashable, Codable {
    public var entryID: String
    public var account: String
    /// The expiry day, or the day the review fell due.
    public var date: UTCDay
    /// Days from as-of to `date`: positive ahead, negative overdue.
    public var daysFromAsOf: Int
    /// The related drift finding, when drift raised one.
    public var findingID: String?

    public init(entryID: String, account: String, date: UTCDay, daysFromAsOf: Int, findingID: String?) {
        self.entryID = entryID
        self.account = account
        self.date = date
        self.daysFromAsOf = daysFromAsOf
        self.findingID = findingID
    }

    enum CodingKeys: String, CodingKey {
        case entryID
        case account, date, daysFromAsOf
        case findingID
    }
}

/// A register entry that approves an account with no bypass at as-of ("remove accounts that no longer require
/// exemptions"), or that lacks required fields.
public struct EntryNotice: Sendable, Hashable, Codable {
    public var entryID: String
    public var account: String
    /// For incomplete entries: the missing fields.
    public var missingFields: [String]
    public var findingID: String?

    public init(entryID: String, account: String, missingFields: [String] = [], findingID: String?) {
        self.entryID = entryID
        self.account = account
        self.missingFields = missingFields
        self.findingID = findingID
    }

    enum CodingKeys: String, CodingKey {
        case entryID
        case account, missingFields
        case findingID
    }
}

/// One edit made through `allowlist add|renew|remove` in the period.
public struct ReportAllowlistEdit: Sendable, Hashable, Codable {
    public var at: Date
    public var by: String
    public var action: AllowlistEdit.Action
    public var entryID: String
    public var reason: String?
    public var summary: String

    public init(_ edit: AllowlistEdit) {
        at = edit.at
        by = edit.by
        action = edit.action
        entryID = edit.entryID
        reason = edit.reason
        summary = edit.summary
    }

    enum CodingKeys: String, CodingKey {
        case at, by, action
        case entryID
        case reason, summary
    }
}

/// One difference between stored register versions seen in the period (tool edits and direct edits in git alike).
public struct ReportAllowlistVersionChange: Sendable, Hashable, Codable {
    public var kind: AllowlistVersionChange.Kind
    public var entryID: String
    public var seenAt: Date
    public var fromSHA256: String?
    public var toSHA256: String
    /// For `changed`: the register keys whose values differ.
    public var fields: [String]
    /// True when no edit-log record explains it: the register was edited directly.
    public var direct: Bool

    public init(_ change: AllowlistVersionChange, direct: Bool) {
        kind = change.kind
        entryID = change.entryID
        seenAt = change.seenAt
        fromSHA256 = change.fromSHA256
        toSHA256 = change.toSHA256
        fields = change.fields
        self.direct = direct
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case entryID
        case seenAt
        case fromSHA256
        case toSHA256
        case fields, direct
    }
}

/// The state of the written-exception register itself.
public struct AllowlistHealth: Sendable, Hashable, Codable {
    public var path: String
    public var sha256: String
    public var entries: Int
    public var reviewIntervalDays: Int
    public var expiryWarningDays: Int
    /// Empty means the register does not restrict who may change bypass associations.
    public var authorizedAdmins: [String]
    public var expiringSoon: [EntryDateNotice]
    public var expired: [EntryDateNotice]
    public var reviewsOverdue: [EntryDateNotice]
    public var stale: [EntryNotice]
    public var incomplete: [EntryNotice]
    public var edits: [ReportAllowlistEdit]
    public var versionChanges: [ReportAllowlistVersionChange]

    public init(
        path: String, sha256: String, entries: Int, reviewIntervalDays: Int, expiryWarningDays: Int,
        authorizedAdmins: [String], expiringSoon: [EntryDateNotice], expired: [EntryDateNotice],
        reviewsOverdue: [EntryDateNotice], stale: [EntryNotice], incomplete: [EntryNotice],
        edits: [ReportAllowlistEdit], versionChanges: [ReportAllowlistVersionChange]
    ) {
        self.path = path
        self.sha256 = sha256
        self.entries = entries
        self.reviewIntervalDays = reviewIntervalDays
        self.expiryWarningDays = expiryWarningDays
        self.authorizedAdmins = authorizedAdmins
        self.expiringSoon = expiringSoon
        self.expired = expired
        self.reviewsOverdue = reviewsOverdue
        self.stale = stale
        self.incomplete = incomplete
        self.edits = edits
        self.versionChanges = versionChanges
    }
}
