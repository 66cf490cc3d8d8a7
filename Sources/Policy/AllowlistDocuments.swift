import Core
import Foundation

/// `allowlist list --json`: the register's settings and every entry with its standing beside its fields.
public struct AllowlistListing: Sendable, Encodable {
    public struct Item: Sendable, Encodable {
        public var entry: AllowlistEntry
        public var standing: AllowlistEntryStanding

        public func encode(to encoder: Encoder) throws {
            // The entry's own fields at the top level, with its standing beside them.
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(standing, forKey: .standing)
        }

        enum Key: String, CodingKey { case standing }
    }

    public var path: String
    public var sha256: String
    public var version: Int
    public var reviewIntervalDays: Int
    public var expiryWarningDays: Int
    public var authorizedAdmins: [String]
    public var asOf: UTCDay
    public var entries: [Item]
    public var issues: [AllowlistIssue]

    public init(allowlist: Allowlist, result: AllowlistLoadResult, asOf: UTCDay) {
        path = result.path
        sha256 = result.sha256
        version = allowlist.version
        reviewIntervalDays = allowlist.reviewIntervalDays
        expiryWarningDays = allowlist.expiryWarningDays
        authorizedAdmins = allowlist.authorizedAdmins
        self.asOf = asOf
        entries = allowlist.entries.map { Item(entry: $0, standing: allowlist.standing(of: $0, on: asOf)) }
        issues = result.issues
    }
}

/// `allowlist show --json`: one entry, its standing, its problems and its history.
public struct AllowlistEntryDetail: Sendable, Encodable {
    public var entry: AllowlistEntry
    public var standing: AllowlistEntryStanding
    public var issues: [AllowlistIssue]
    public var edits: [AllowlistEdit]
    public var changes: [AllowlistVersionChange]

    public init(
        entry: AllowlistEntry, standing: AllowlistEntryStanding, issues: [AllowlistIssue], edits: [AllowlistEdit],
        changes: [AllowlistVersionChange]
    ) {
        self.entry = entry
        self.standing = standing
        self.issues = issues
        self.edits = edits
        self.changes = changes
    }
}

/// `allowlist validate --json`.
public struct AllowlistValidation: Sendable, Encodable {
    public var path: String
    public var sha256: String
    public var valid: Bool
    public var errorCount: Int
    public var warningCount: Int
    /// Entry count when valid.
    public var entries: Int?
    public var issues: [AllowlistIssue]

    public init(_ result: AllowlistLoadResult) {
        path = result.path
        sha256 = result.sha256
        valid = result.isValid
        errorCount = result.errors.count
        warningCount = result.warnings.count
        entries = result.allowlist?.entries.count
        issues = result.issues
    }
}

/// `allowlist add|renew|remove --json`.
public struct AllowlistEditReport: Sendable, Encodable {
    public var edit: AllowlistEdit
    public var editId: Int64
    public var path: String
    public var sha256Before: String
    public var sha256After: String
    public var changes: [AllowlistVersionChange]
    public var warnings: [AllowlistIssue]

    public init(_ outcome: AllowlistEditOutcome) {
        edit = outcome.edit
        editId = outcome.editID
        path = outcome.result.path
        sha256Before = outcome.fromSHA256
        sha256After = outcome.result.sha256
        changes = outcome.changes
        warnings = outcome.result.warnings
    }
}
