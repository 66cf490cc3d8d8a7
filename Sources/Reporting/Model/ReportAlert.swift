import Core
import Detection
import Foundation

/// Whether someone has looked at an alert.
public enum TriageState: String, Sendable, Hashable, Codable {
    case open
    case acknowledged
}

/// One alert raised in the period, with its triage.
public struct ReportAlert: Sendable, Hashable, Codable, JSONConcurrentlyEncodable {
    /// Stable anchor (`alert-<id>`).
    public var anchor: String
    public var id: Int64
    public var ruleID: String
    public var ruleName: String
    public var severity: Severity
    public var signal: DetectionSignal
    public var eventID: String
    public var eventTime: Date
    public var actor: String?
    public var target: String?
    public var outcome: EventOutcome
    public var direction: BypassDirection
    public var raisedAt: Date
    public var triageState: TriageState
    public var triagedBy: String?
    public var triagedAt: Date?
    public var triageNote: String?

    public init(
        anchor: String, id: Int64, ruleID: String, ruleName: String, severity: Severity, signal: DetectionSignal,
        eventID: String, eventTime: Date, actor: String?, target: String?, outcome: EventOutcome,
        direction: BypassDirection, raisedAt: Date, triageState: TriageState, triagedBy: String?, triagedAt: Date?,
        triageNote: String?
    ) {
        self.anchor = anchor
        self.id = id
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.severity = severity
        self.signal = signal
        self.eventID = eventID
        self.eventTime = eventTime
        self.actor = actor
        self.target = target
        self.outcome = outcome
        self.direction = direction
        self.raisedAt = raisedAt
        self.triageState = triageState
        self.triagedBy = triagedBy
        self.triagedAt = triagedAt
        self.triageNote = triageNote
    }

    enum CodingKeys: String, CodingKey {
        case anchor, id
        case ruleID
        case ruleName, severity, signal
        case eventID
        case eventTime, actor, target, outcome, direction, raisedAt, triageState, triagedBy, triagedAt, triageNote
    }
}

/// The alerts of the period and how far they have been triaged.
public struct ReportAlerts: Sendable, Hashable, Codable {
    public var total: Int
    public var open: Int
    public var acknowledged: Int
    public var bySeverity: SeverityCounts
    /// Oldest first.
    public var items: [ReportAlert]

    public init(items: [ReportAlert]) {
        self.items = items
        total = items.count
        // Counted in place: a filtered copy of a month's alerts copied every one of them.
        acknowledged = items.indices.reduce(0) { $0 + (items[$1].triageState == .acknowledged ? 1 : 0) }
        open = total - acknowledged
        bySeverity = SeverityCounts(counting: items.map(\.severity))
    }
}

extension ReportAlert: RaisedOnEvent {}
