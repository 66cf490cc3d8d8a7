import Core
import Drift
import Foundation

/// How a finding relates to the previous report.
public enum FindingTrend: String, Sendable, Hashable, Codable {
    /// Not in the previous report.
    case new
    /// Also in the previous report (same stable id).
    case persisting
}

/// One drift finding as the report shows it: what is wrong, how bad, the evidence, what to do, and the reference.
public struct ReportFinding: Sendable, Hashable, Codable, JSONConcurrentlyEncodable {
    /// Drift's stable id (kind plus account key, entry id or day): the same from one month to the next.
    public var id: String
    /// Stable anchor (`finding-…`) derived from `id`.
    public var anchor: String
    public var kind: FindingKind
    /// A short statement of what is wrong (per kind).
    public var title: String
    public var severity: Severity
    public var accountKey: String?
    /// The account's display name when the inventory knows it, else its first name.
    public var account: String?
    public var names: [String]
    public var entryID: String?
    public var detail: String
    /// Every fact behind the finding; HTML and Markdown show the first few and point to the JSON for the rest.
    public var evidence: [Evidence]
    public var action: String
    /// Ids of the `compliance` entries and seed sections this finding relates to.
    public var references: [String]
    /// The controls this finding helps decide.
    public var controls: [ControlID]
    /// New or persisting since the previous report; nil when there is no previous report.
    public var sinceLastReport: FindingTrend?

    public init(
        id: String, anchor: String, kind: FindingKind, title: String, severity: Severity, accountKey: String?,
        account: String?, names: [String], entryID: String?, detail: String, evidence: [Evidence], action: String,
        references: [String], controls: [ControlID], sinceLastReport: FindingTrend?
    ) {
        self.id = id
        self.anchor = anchor
        self.kind = kind
        self.title = title
        self.severity = severity
        self.accountKey = accountKey
        self.account = account
        self.names = names
        self.entryID = entryID
        self.detail = detail
        self.evidence = evidence
        self.action = action
        self.references = references
        self.controls = controls
        self.sinceLastReport = sinceLastReport
    }

    enum CodingKeys: String, CodingKey {
        case id, anchor, kind, title, severity, accountKey, account, names
        case entryID
        case detail, evidence, action, references, controls, sinceLastReport
    }
}
