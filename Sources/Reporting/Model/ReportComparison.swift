import Core
import Drift
import Foundation

/// A finding named by id, for the "since last period" lists.
public struct FindingReference: Sendable, Hashable, Codable {
    public var id: String
    /// The finding's anchor in this report; nil for a resolved finding (it is no longer here).
    public var anchor: String?
    public var kind: FindingKind
    public var severity: Severity

    public init(id: String, anchor: String?, kind: FindingKind, severity: Severity) {
        self.id = id
        self.anchor = anchor
        self.kind = kind
        self.severity = severity
    }
}

/// An account named by key, for the "accounts added / removed" lists.
public struct AccountReference: Sendable, Hashable, Codable {
    public var key: String
    public var name: String
    /// The account's anchor in this report's inventory; nil when it is no longer bypassed.
    public var anchor: String?

    public init(key: String, name: String, anchor: String?) {
        self.key = key
        self.name = name
        self.anchor = anchor
    }
}

/// The report this one is compared with.
public struct PreviousReportReference: Sendable, Hashable, Codable {
    public var reportID: String
    public var periodLabel: String
    public var revision: Int
    public var generatedAt: Date
    public var folder: String
    /// False when the compared report is older than the period just before this one (a period was skipped).
    public var isImmediatelyPreceding: Bool

    public init(reportID: String, periodLabel: String, revision: Int, generatedAt: Date, folder: String, isImmediatelyPreceding: Bool) {
        self.reportID = reportID
        self.periodLabel = periodLabel
        self.revision = revision
        self.generatedAt = generatedAt
        self.folder = folder
        self.isImmediatelyPreceding = isImmediatelyPreceding
    }

    enum CodingKeys: String, CodingKey {
        case reportID
        case periodLabel, revision, generatedAt, folder, isImmediatelyPreceding
    }
}

/// What changed since the previous report, by stable finding id and account key.
public struct ReportComparison: Sendable, Hashable, Codable {
    /// nil for the first report of a tenant: every list is then empty.
    public var previous: PreviousReportReference?
    public var newFindings: [FindingReference]
    public var resolvedFindings: [FindingReference]
    public var persistingFindings: [FindingReference]
    public var accountsAdded: [AccountReference]
    public var accountsRemoved: [AccountReference]

    public init(
        previous: PreviousReportReference?, newFindings: [FindingReference], resolvedFindings: [FindingReference],
        persistingFindings: [FindingReference], accountsAdded: [AccountReference], accountsRemoved: [AccountReference]
    ) {
        self.previous = previous
        self.newFindings = newFindings
        self.resolvedFindings = resolvedFindings
        self.persistingFindings = persistingFindings
        self.accountsAdded = accountsAdded
        self.accountsRemoved = accountsRemoved
    }
}

/// One period of the trend chart.
public struct TrendPoint: Sendable, Hashable, Codable {
    public var periodLabel: String
    public var reportID: String
    /// True for this report's own period.
    public var isCurrent: Bool
    public var bypassedAccounts: Int
    public var findings: SeverityCounts

    public init(periodLabel: String, reportID: String, isCurrent: Bool, bypassedAccounts: Int, findings: SeverityCounts) {
        self.periodLabel = periodLabel
        self.reportID = reportID
        self.isCurrent = isCurrent
        self.bypassedAccounts = bypassedAccounts
        self.findings = findings
    }

    enum CodingKeys: String, CodingKey {
        case periodLabel
        case reportID
        case isCurrent, bypassedAccounts, findings
    }
}
