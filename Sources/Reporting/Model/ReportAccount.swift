import Core
import Inventory
import Policy
import Foundation

/// Whether a bypassed account is covered by a written exception at as-of.
public enum AccountApprovalStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// A matching register entry holds.
    case approved
    /// Approved, but the entry expires within the register's `expiry_warning_days`.
    case expiringSoon = "expiring-soon"
    /// The matching entry's `expires_on` has passed: counts as failing.
    case expired
    /// No register entry names the account.
    case unapproved

    /// Whether the bypass lacks a valid written exception (these are the ones `remediation.ps1` removes).
    public var isViolation: Bool { self == .expired || self == .unapproved }

    public var label: String {
        switch self {
        case .approved: "Approved"
        case .expiringSoon: "Approved, expiring soon"
        case .expired: "Expired approval"
        case .unapproved: "Unapproved"
        }
    }
}

/// One account bypassed at as-of, with the written exception that covers it (if any).
///
/// The underlying fact (bypass enabled, since when, set by whom) is always shown, approved or not.
public struct ReportAccount: Sendable, Hashable, Codable, JSONConcurrentlyEncodable {
    /// Stable anchor (`account-…`) derived from the account key, identical every month.
    public var anchor: String
    /// The inventory's account key (`guid:…` or `name:…`).
    public var key: String
    public var displayName: String
    /// The name to hand back to Exchange (`-Identity '…'`).
    public var exchangeName: String
    public var guid: String?
    public var names: [String]
    public var status: AccountApprovalStatus
    /// Set when the matching entry's review is overdue at as-of.
    public var reviewOverdue: Bool
    /// The day the next review is due (`last_reviewed_on`, else `approved_on`, plus the review interval).
    public var reviewDue: UTCDay?
    public var entryID: String?
    public var category: ExceptionCategory?
    public var tool: String?
    public var legalBasis: String?
    public var owner: String?
    public var justification: String?
    public var approvedBy: String?
    public var approvedOn: UTCDay?
    public var ticket: String?
    public var lastReviewedOn: UTCDay?
    public var expiresOn: UTCDay?
    /// Fields the entry's category requires that are missing (`incomplete-approval`).
    public var missingFields: [String]
    /// When the bypass began, when known.
    public var since: Date?
    /// True when `since` comes from a snapshot, not an event: the bypass began at the latest then.
    public var sinceIsUpperBound: Bool
    public var setBy: String?
    /// Whether `setBy` is in the register's `authorized_admins`; nil when not checked or unknown.
    public var setByAuthorized: Bool?
    public var lastEventID: String?
    public var source: StateSource
    /// Findings about this account.
    public var findingIDs: [String]

    public init(
        anchor: String, key: String, displayName: String, exchangeName: String, guid: String?, names: [String],
        status: AccountApprovalStatus, reviewOverdue: Bool, reviewDue: UTCDay?, entryID: String?,
        category: ExceptionCategory?, tool: String?, legalBasis: String?, owner: String?, justification: String?,
        approvedBy: String?, approvedOn: UTCDay?, ticket: String?, lastReviewedOn: UTCDay?, expiresOn: UTCDay?,
        missingFields: [String], since: Date?, sinceIsUpperBound: Bool, setBy: String?, setByAuthorized: Bool?,
        lastEventID: String?, source: StateSource, findingIDs: [String]
    ) {
        self.anchor = anchor
        self.key = key
        self.displayName = displayName
        self.exchangeName = exchangeName
        self.guid = guid
        self.names = names
        self.status = status
        self.reviewOverdue = reviewOverdue
        self.reviewDue = reviewDue
        self.entryID = entryID
        self.category = category
        self.tool = tool
        self.legalBasis = legalBasis
        self.owner = owner
        self.justification = justification
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.ticket = ticket
        self.lastReviewedOn = lastReviewedOn
        self.expiresOn = expiresOn
        self.missingFields = missingFields
        self.since = since
        self.sinceIsUpperBound = sinceIsUpperBound
        self.setBy = setBy
        self.setByAuthorized = setByAuthorized
        self.lastEventID = lastEventID
        self.source = source
        self.findingIDs = findingIDs
    }

    enum CodingKeys: String, CodingKey {
        case anchor, key, displayName, exchangeName, guid, names, status, reviewOverdue, reviewDue
        case entryID
        case category, tool, legalBasis, owner, justification, approvedBy, approvedOn, ticket, lastReviewedOn
        case expiresOn, missingFields, since, sinceIsUpperBound, setBy, setByAuthorized
        case lastEventID
        case source
        case findingIDs
    }
}
