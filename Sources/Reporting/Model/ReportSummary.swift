import Core
import Drift
import Inventory
import Foundation

/// The report's one-word answer for the reviewer, decided by the findings and the controls.
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// A critical or high finding, or a failing control: someone must act now.
    case actionRequired = "action-required"
    /// Medium or low findings, or a warning control: plan the work.
    case attentionNeeded = "attention-needed"
    /// Nothing above informational and every control passes.
    case noActionNeeded = "no-action-needed"

    /// The label shown to people.
    public var label: String {
        switch self {
        case .actionRequired: "Action required"
        case .attentionNeeded: "Attention needed"
        case .noActionNeeded: "No action needed"
        }
    }
}

/// How many findings (or alerts) of each severity.
public struct SeverityCounts: Sendable, Hashable, Codable {
    public var critical: Int
    public var high: Int
    public var medium: Int
    public var low: Int
    public var info: Int
    public var total: Int

    public init(critical: Int = 0, high: Int = 0, medium: Int = 0, low: Int = 0, info: Int = 0) {
        self.critical = critical
        self.high = high
        self.medium = medium
        self.low = low
        self.info = info
        self.total = critical + high + medium + low + info
    }

    /// Counts the severities in `severities`.
    public init<S: Sequence>(counting severities: S) where S.Element == Severity {
        var counts: [Severity: Int] = [:]
        for severity in severities { counts[severity, default: 0] += 1 }
        self.init(
            critical: counts[.critical] ?? 0, high: counts[.high] ?? 0, medium: counts[.medium] ?? 0,
            low: counts[.low] ?? 0, info: counts[.info] ?? 0)
    }

    public subscript(severity: Severity) -> Int {
        switch severity {
        case .critical: critical
        case .high: high
        case .medium: medium
        case .low: low
        case .info: info
        }
    }
}

/// How many controls pass, warn and fail.
public struct ControlStatusCounts: Sendable, Hashable, Codable {
    public var pass: Int
    public var warn: Int
    public var fail: Int

    public init(pass: Int = 0, warn: Int = 0, fail: Int = 0) {
        self.pass = pass
        self.warn = warn
        self.fail = fail
    }

    public init<S: Sequence>(counting statuses: S) where S.Element == ControlStatus {
        var counts = ControlStatusCounts()
        for status in statuses {
            switch status {
            case .pass: counts.pass += 1
            case .warn: counts.warn += 1
            case .fail: counts.fail += 1
            }
        }
        self = counts
    }

    public subscript(status: ControlStatus) -> Int {
        switch status {
        case .pass: pass
        case .warn: warn
        case .fail: fail
        }
    }
}

/// How many bypassed accounts are in each approval state at as-of.
public struct AccountStatusCounts: Sendable, Hashable, Codable {
    public var approved: Int
    public var expiringSoon: Int
    public var expired: Int
    public var unapproved: Int

    public init(approved: Int = 0, expiringSoon: Int = 0, expired: Int = 0, unapproved: Int = 0) {
        self.approved = approved
        self.expiringSoon = expiringSoon
        self.expired = expired
        self.unapproved = unapproved
    }

    public init<S: Sequence>(counting statuses: S) where S.Element == AccountApprovalStatus {
        var counts = AccountStatusCounts()
        for status in statuses {
            switch status {
            case .approved: counts.approved += 1
            case .expiringSoon: counts.expiringSoon += 1
            case .expired: counts.expired += 1
            case .unapproved: counts.unapproved += 1
            }
        }
        self = counts
    }

    public subscript(status: AccountApprovalStatus) -> Int {
        switch status {
        case .approved: approved
        case .expiringSoon: expiringSoon
        case .expired: expired
        case .unapproved: unapproved
        }
    }
}

/// How many bypass records of each kind happened in the period.
public struct ChangeCounts: Sendable, Hashable, Codable {
    public var enabled: Int
    public var reenabled: Int
    public var removed: Int
    public var failedAttempts: Int
    public var indeterminate: Int
    public var total: Int

    public init<S: Sequence>(counting kinds: S) where S.Element == ChangeKind {
        (enabled, reenabled, removed, failedAttempts, indeterminate, total) = (0, 0, 0, 0, 0, 0)
        for kind in kinds { count(kind) }
    }

    /// Counts one more change of `kind`.
    public mutating func count(_ kind: ChangeKind) {
        switch kind {
        case .enabled: enabled += 1
        case .reenabled: reenabled += 1
        case .removed: removed += 1
        case .failedAttempt: failedAttempts += 1
        case .indeterminate: indeterminate += 1
        }
        total += 1
    }
}

/// One of the seed's five false-positive practices, as drift judged it.
public struct ReportControl: Sendable, Hashable, Codable {
    public var id: ControlID
    /// Stable HTML/Markdown anchor (`control-fp-1`), identical every month.
    public var anchor: String
    public var title: String
    public var status: ControlStatus
    public var reason: String
    public var findingIDs: [String]

    public init(id: ControlID, anchor: String, title: String, status: ControlStatus, reason: String, findingIDs: [String]) {
        self.id = id
        self.anchor = anchor
        self.title = title
        self.status = status
        self.reason = reason
        self.findingIDs = findingIDs
    }

    enum CodingKeys: String, CodingKey {
        case id, anchor, title, status, reason
        case findingIDs
    }
}

/// What a reviewer must see without scrolling: the verdict, its sentence and every count.
public struct ReportSummary: Sendable, Hashable, Codable {
    public var verdict: Verdict
    /// One plain sentence: the verdict and why (bypassed accounts by approval state, findings, controls).
    public var verdictSentence: String
    public var findingsBySeverity: SeverityCounts
    /// The five FP controls, FP-1 first.
    public var controls: [ReportControl]
    public var controlsByStatus: ControlStatusCounts
    public var bypassedAccounts: Int
    public var accountsByStatus: AccountStatusCounts
    public var changesInPeriod: ChangeCounts
    public var alertsInPeriod: Int
    public var openAlerts: Int
    /// Days of the period (up to as-of) without any audit record: absence of events there proves nothing.
    public var daysWithoutData: Int

    public init(
        verdict: Verdict, verdictSentence: String, findingsBySeverity: SeverityCounts, controls: [ReportControl],
        controlsByStatus: ControlStatusCounts, bypassedAccounts: Int, accountsByStatus: AccountStatusCounts,
        changesInPeriod: ChangeCounts, alertsInPeriod: Int, openAlerts: Int, daysWithoutData: Int
    ) {
        self.verdict = verdict
        self.verdictSentence = verdictSentence
        self.findingsBySeverity = findingsBySeverity
        self.controls = controls
        self.controlsByStatus = controlsByStatus
        self.bypassedAccounts = bypassedAccounts
        self.accountsByStatus = accountsByStatus
        self.changesInPeriod = changesInPeriod
        self.alertsInPeriod = alertsInPeriod
        self.openAlerts = openAlerts
        self.daysWithoutData = daysWithoutData
    }
}
