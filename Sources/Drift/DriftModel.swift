import Core
import Inventory
import Foundation

// The public face of the Drift stage that reports render.

/// The fixed list of ways reality and the register disagree.
public enum FindingKind: String, Sendable, Hashable, Codable, CaseIterable {
    case unapprovedBypass = "unapproved-bypass"
    case expiredApproval = "expired-approval"
    case expiringSoon = "expiring-soon"
    case reviewOverdue = "review-overdue"
    case incompleteApproval = "incomplete-approval"
    case staleAllowlistEntry = "stale-allowlist-entry"
    case unauthorizedActor = "unauthorized-actor"
    case failedAttempt = "failed-attempt"
    case unexplainedBypass = "unexplained-bypass"
    case snapshotMismatch = "snapshot-mismatch"
    case coverageGap = "coverage-gap"
    case ambiguousIdentity = "ambiguous-identity"
    case indeterminateChange = "indeterminate-change"
    case auditImpairment = "audit-impairment"
}

/// One fact behind a finding.
public struct Evidence: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case event
        case snapshot
        case alert
        case allowlistEntry = "allowlist-entry"
        case day
        case date
    }

    public var kind: Kind
    /// The event id, snapshot id, alert id, entry id or `YYYY-MM-DD`.
    public var reference: String
    public var time: Date?
    public var note: String?
    /// An event whose alerts are still to be listed after it (`UncitedDriftResult.citing`); never true in a result
    /// that leaves drift, and never encoded.
    var awaitsAlerts = false

    public init(kind: Kind, reference: String, time: Date? = nil, note: String? = nil) {
        self.kind = kind
        self.reference = reference
        self.time = time
        self.note = note
    }

    private enum CodingKeys: String, CodingKey {
        case kind, reference, time, note
    }
}

/// One disagreement between reality and the register, with what to do about it.
public struct Finding: Sendable, Hashable, Codable, JSONConcurrentlyEncodable {
    /// Stable from one run to the next: kind plus the account key, entry id or day it is about
    /// (so reports can say new / resolved / persisting and anchor it).
    public var id: String
    public var kind: FindingKind
    public var severity: Severity
    public var tenant: TenantID
    /// The name to show for the finding's account: the inventory account's display name when `accountID` is set
    /// (the same name inventory, report, CSV and alerts show), else the name the evidence gives.
    public var account: String?
    /// The inventory account the finding is about, when it is about one: later stages (the report) take the
    /// account from here, never by parsing `id` or re-matching `account`.
    public var accountID: AccountID?
    public var names: [String]
    public var entryID: String?
    public var detail: String
    public var evidence: [Evidence]
    public var action: String

    public init(
        id: String, kind: FindingKind, severity: Severity, tenant: TenantID, account: String?,
        accountID: AccountID? = nil, names: [String], entryID: String?, detail: String, evidence: [Evidence],
        action: String
    ) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.tenant = tenant
        self.account = account
        self.accountID = accountID
        self.names = names
        self.entryID = entryID
        self.detail = detail
        self.evidence = evidence
        self.action = action
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, severity, tenant, account, accountID, names, entryID, detail, evidence, action
    }

    /// `account_id` is written as the account key (`guid:…`, `name:…`), as `inventory --json` writes it; the tenant
    /// is the finding's own.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(severity, forKey: .severity)
        try container.encode(tenant, forKey: .tenant)
        try container.encodeIfPresent(account, forKey: .account)
        try container.encodeIfPresent(accountID?.key, forKey: .accountID)
        try container.encode(names, forKey: .names)
        try container.encodeIfPresent(entryID, forKey: .entryID)
        try container.encode(detail, forKey: .detail)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(action, forKey: .action)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(FindingKind.self, forKey: .kind)
        severity = try container.decode(Severity.self, forKey: .severity)
        let tenant = try container.decode(TenantID.self, forKey: .tenant)
        self.tenant = tenant
        account = try container.decodeIfPresent(String.self, forKey: .account)
        accountID = try container.decodeIfPresent(String.self, forKey: .accountID).map { AccountID(tenant: tenant, key: $0) }
        names = try container.decode([String].self, forKey: .names)
        entryID = try container.decodeIfPresent(String.self, forKey: .entryID)
        detail = try container.decode(String.self, forKey: .detail)
        evidence = try container.decode([Evidence].self, forKey: .evidence)
        action = try container.decode(String.self, forKey: .action)
    }
}

/// The seed rule's five false-positive-handling practices.
public enum ControlID: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Authorized third-party tools are documented.
    case thirdPartyToolsDocumented = "FP-1"
    /// Lawful-monitoring accounts are documented and verified.
    case lawfulMonitoringDocumented = "FP-2"
    /// The bypass list is reviewed regularly and unneeded exemptions removed.
    case regularReview = "FP-3"
    /// Bypass associations are audited periodically for unauthorized changes.
    case periodicAudit = "FP-4"
    /// New bypass associations raise alerts.
    case alertsOnNewBypass = "FP-5"

    public static func < (lhs: ControlID, rhs: ControlID) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum ControlStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pass
    case warn
    case fail
}

/// One control, its verdict and the findings that decide it.
public struct Control: Sendable, Hashable, Codable {
    public var id: ControlID
    public var title: String
    public var status: ControlStatus
    public var reason: String
    public var findingIDs: [String]

    private enum CodingKeys: String, CodingKey {
        case id, title, status, reason
        case findingIDs
    }

    public init(id: ControlID, title: String, status: ControlStatus, reason: String, findingIDs: [String]) {
        self.id = id
        self.title = title
        self.status = status
        self.reason = reason
        self.findingIDs = findingIDs
    }
}

/// Everything one drift run concluded.
public struct DriftResult: Sendable, Hashable, Codable {
    public var tenant: TenantID
    public var asOf: Date
    public var period: ReportingPeriod
    public var findings: [Finding]
    public var controls: [Control]
    /// What else the database holds beside this tenant (set by the application layer, which chose the tenant);
    /// empty when it holds this tenant only.
    public var tenantNotes: [String] = []

    public init(tenant: TenantID, asOf: Date, period: ReportingPeriod, findings: [Finding], controls: [Control]) {
        self.tenant = tenant
        self.asOf = asOf
        self.period = period
        self.findings = findings
        self.controls = controls
    }

    /// The most severe finding's severity, nil when there is none.
    public var worstSeverity: Severity? { findings.map(\.severity).max() }

    public func count(of severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }
}
