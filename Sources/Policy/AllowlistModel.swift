import Core
import Foundation

// The public face of the Policy stage (the approved-exception register) that drift and reports read.

/// Why an account may bypass mailbox auditing.
public enum ExceptionCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// Backup, archiving, e-discovery and similar tools whose reads flood the audit log.
    case thirdPartyTool = "third-party-tool"
    /// Accounts used for lawful monitoring.
    case lawfulMonitoring = "lawful-monitoring"
}

/// A position in a file, 1-based, for messages a person can act on.
public struct SourcePosition: Sendable, Hashable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One written exception in `Policies/allowlist.yaml`.
public struct AllowlistEntry: Sendable, Hashable, Codable {
    public var id: String
    public var account: String
    public var aliases: [String]
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
    /// Where the entry starts in the register file.
    public var position: SourcePosition?

    public init(
        id: String, account: String, aliases: [String] = [], category: ExceptionCategory? = nil, tool: String? = nil,
        legalBasis: String? = nil, owner: String? = nil, justification: String? = nil, approvedBy: String? = nil,
        approvedOn: UTCDay? = nil, ticket: String? = nil, lastReviewedOn: UTCDay? = nil, expiresOn: UTCDay? = nil,
        position: SourcePosition? = nil
    ) {
        self.id = id
        self.account = account
        self.aliases = aliases
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
        self.position = position
    }

    /// The account and every alias, as names.
    public var names: [AccountName] { ([account] + aliases).map(AccountName.init) }

    /// The keys the entry matches accounts by (`AccountKey`): its account and aliases.
    public var matchKeys: Set<AccountKey> { AccountKey.keys(of: [account] + aliases) }

    /// The fields this entry's category requires that are missing or empty (`tool` for a third-party tool,
    /// `legal_basis` for lawful monitoring, and owner, justification, approval and ticket for every entry).
    /// Such an entry still approves its account; validation warns and drift reports `incomplete-approval`.
    public var missingRequiredFields: [String] {
        func blank(_ value: String?) -> Bool { value?.isBlank ?? true }
        var missing: [String] = []
        if category == nil { missing.append("category") }
        if category == .thirdPartyTool, blank(tool) { missing.append("tool") }
        if category == .lawfulMonitoring, blank(legalBasis) { missing.append("legal_basis") }
        if blank(owner) { missing.append("owner") }
        if blank(justification) { missing.append("justification") }
        if blank(approvedBy) { missing.append("approved_by") }
        if approvedOn == nil { missing.append("approved_on") }
        if blank(ticket) { missing.append("ticket") }
        if expiresOn == nil { missing.append("expires_on") }
        return missing
    }

    /// Whether the approval still holds on `day` (valid through its `expires_on` day).
    public func isApproved(on day: UTCDay) -> Bool {
        guard let expiresOn else { return true }
        return day <= expiresOn
    }
}

/// The whole register.
public struct Allowlist: Sendable, Hashable, Codable {
    public var version: Int
    public var reviewIntervalDays: Int
    public var expiryWarningDays: Int
    /// Who may change bypass associations; empty means "not checked".
    public var authorizedAdmins: [String]
    public var entries: [AllowlistEntry]
    /// The file it was read from.
    public var path: String
    /// SHA-256 of the file's bytes.
    public var sha256: String

    public init(
        version: Int = 1, reviewIntervalDays: Int = 90, expiryWarningDays: Int = 30, authorizedAdmins: [String] = [],
        entries: [AllowlistEntry] = [], path: String = "", sha256: String = ""
    ) {
        self.version = version
        self.reviewIntervalDays = reviewIntervalDays
        self.expiryWarningDays = expiryWarningDays
        self.authorizedAdmins = authorizedAdmins
        self.entries = entries
        self.path = path
        self.sha256 = sha256
    }

    /// Entries that name `name` as account or alias (the `AccountKey` rule).
    public func entries(naming name: AccountName) -> [AllowlistEntry] {
        guard let key = name.matchKey else { return [] }
        return entries.filter { $0.matchKeys.contains(key) }
    }

    /// `authorized_admins` by the `AccountKey` rule (empty: actors are not checked).
    public var authorizedAdminKeys: Set<AccountKey> { AccountKey.keys(of: authorizedAdmins) }

    /// Whether `actor` may change bypass associations (always true when the list is empty: not checked). An actor
    /// whose name holds control characters is never an authorized admin.
    public func isAuthorizedAdmin(_ actor: String?) -> Bool {
        guard !authorizedAdmins.isEmpty else { return true }
        return Allowlist.isAuthorized(actor, among: authorizedAdminKeys)
    }

    /// `isAuthorizedAdmin` against keys computed once (drift and report check thousands of actors).
    public static func isAuthorized(_ actor: String?, among keys: Set<AccountKey>) -> Bool {
        guard let actor, let key = AccountKey(actor) else { return false }
        return keys.contains(key)
    }
}

/// One change made to the register through the tool (`allowlist add|renew|remove`).
public struct AllowlistEdit: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case add
        case renew
        case remove
    }

    public var at: Date
    public var by: String
    public var action: Action
    public var entryID: String
    public var reason: String?
    /// A one-line description of what changed (new expiry, fields set).
    public var summary: String

    public init(at: Date, by: String, action: Action, entryID: String, reason: String?, summary: String) {
        self.at = at
        self.by = by
        self.action = action
        self.entryID = entryID
        self.reason = reason
        self.summary = summary
    }
}

/// A change between two stored versions of the register, whoever made it (tool or direct edit in git).
public struct AllowlistVersionChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case added
        case changed
        case removed
    }

    public var kind: Kind
    public var entryID: String
    /// When the newer version was first seen.
    public var seenAt: Date
    public var fromSHA256: String?
    public var toSHA256: String
    /// For `changed`: the register keys whose values differ (`expires_on`, `aliases`…), in schema order.
    public var fields: [String]

    public init(kind: Kind, entryID: String, seenAt: Date, fromSHA256: String?, toSHA256: String, fields: [String] = []) {
        self.kind = kind
        self.entryID = entryID
        self.seenAt = seenAt
        self.fromSHA256 = fromSHA256
        self.toSHA256 = toSHA256
        self.fields = fields
    }
}
