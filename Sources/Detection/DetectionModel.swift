import Core
import Foundation

// The public face of the Detection stage that later stages (drift, reports) read.

/// What a detection rule watches for, so drift can turn alerts into the right findings.
public enum DetectionSignal: String, Sendable, Hashable, Codable, CaseIterable {
    /// A successful `Set-MailboxAuditBypassAssociation` (the seed rule; matches removals too).
    case bypassChange = "bypass-change"
    /// A failed `Set-MailboxAuditBypassAssociation`: trial and error.
    case bypassFailedAttempt = "bypass-failed-attempt"
    /// `Set-Mailbox -AuditEnabled $false`: ignored by Exchange Online while org-wide auditing is on; a sign of intent.
    case mailboxAuditDisabled = "mailbox-audit-disabled"
    /// `Set-Mailbox` shrinking `AuditOwner`/`AuditDelegate`/`AuditAdmin`: the effective per-mailbox blind.
    case mailboxAuditActionsReduced = "mailbox-audit-actions-reduced"
    /// `Set-OrganizationConfig -AuditDisabled $true`: mailbox auditing off for the whole tenant.
    case organizationAuditDisabled = "organization-audit-disabled"
    /// `Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $false`: the unified audit log stops.
    case unifiedAuditIngestionDisabled = "unified-audit-ingestion-disabled"
    /// Any other rule.
    case other
}

/// Triage recorded on an alert (`alerts ack`).
public struct AlertTriage: Sendable, Hashable, Codable {
    public var by: String
    public var note: String
    public var at: Date

    public init(by: String, note: String, at: Date) {
        self.by = by
        self.note = note
        self.at = at
    }
}

/// One alert: a rule matched a stored event. Each (rule, event) pair alerts once, ever.
public struct Alert: Sendable, Hashable, Codable {
    public var id: Int64
    public var ruleID: String
    public var ruleName: String
    public var severity: Severity
    public var riskScore: Int
    public var signal: DetectionSignal
    public var tenant: TenantID
    public var eventID: String
    public var eventTime: Date
    public var actor: String?
    /// `Parameters.Identity` as the admin typed it.
    public var target: String?
    public var objectID: String?
    public var outcome: EventOutcome
    public var direction: BypassDirection
    public var raisedAt: Date
    public var triage: AlertTriage?

    public init(
        id: Int64, ruleID: String, ruleName: String, severity: Severity, riskScore: Int, signal: DetectionSignal,
        tenant: TenantID, eventID: String, eventTime: Date, actor: String?, target: String?, objectID: String?,
        outcome: EventOutcome, direction: BypassDirection, raisedAt: Date, triage: AlertTriage?
    ) {
        self.id = id
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.severity = severity
        self.riskScore = riskScore
        self.signal = signal
        self.tenant = tenant
        self.eventID = eventID
        self.eventTime = eventTime
        self.actor = actor
        self.target = target
        self.objectID = objectID
        self.outcome = outcome
        self.direction = direction
        self.raisedAt = raisedAt
        self.triage = triage
    }
}

/// One `detect` (or `watch` cycle) run: lets drift tell "no alerts" from "detection never ran" (control FP-5).
public struct DetectionRunSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var ranAt: Date
    /// The clock the run used (`--now`).
    public var now: Date
    /// The newest event time the run had evaluated up to: events at or before it have been looked at by every rule.
    public var evaluatedThrough: Date?
    public var eventsEvaluated: Int
    public var alertsRaised: Int
    public var ruleSetDigest: String
    /// `catch-up` (`detect`: every event not yet evaluated, whatever its age) or `scheduled` (a `watch` cycle:
    /// only events inside each rule's look-back window).
    public var mode: DetectionMode
    /// Alerts matched but not raised because a rule reached `max_signals` in a scheduled run: the next run raises
    /// them first.
    public var heldBack: Int
    /// (rule, event) evaluations a scheduled run left for later because the event lay outside the rule's window.
    public var deferred: Int
    /// The rules that ran.
    public var ruleIDs: [String]

    private enum CodingKeys: String, CodingKey {
        case id, ranAt, now, evaluatedThrough, eventsEvaluated, alertsRaised, ruleSetDigest, mode, heldBack, deferred
        case ruleIDs
    }

    public init(
        id: Int64, ranAt: Date, now: Date, evaluatedThrough: Date?, eventsEvaluated: Int, alertsRaised: Int,
        ruleSetDigest: String
    ) {
        self.init(
            id: id, ranAt: ranAt, now: now, evaluatedThrough: evaluatedThrough, eventsEvaluated: eventsEvaluated,
            alertsRaised: alertsRaised, ruleSetDigest: ruleSetDigest, mode: .catchUp, heldBack: 0, deferred: 0,
            ruleIDs: [])
    }

    public init(
        id: Int64, ranAt: Date, now: Date, evaluatedThrough: Date?, eventsEvaluated: Int, alertsRaised: Int,
        ruleSetDigest: String, mode: DetectionMode, heldBack: Int, deferred: Int, ruleIDs: [String]
    ) {
        self.id = id
        self.ranAt = ranAt
        self.now = now
        self.evaluatedThrough = evaluatedThrough
        self.eventsEvaluated = eventsEvaluated
        self.alertsRaised = alertsRaised
        self.ruleSetDigest = ruleSetDigest
        self.mode = mode
        self.heldBack = heldBack
        self.deferred = deferred
        self.ruleIDs = ruleIDs
    }
}

/// How a detection run chooses the events it evaluates.
public enum DetectionMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// `detect`: every stored event a rule has not evaluated yet, whatever its age, and every alert raised
    /// (`--now` only sets the clock).
    case catchUp = "catch-up"
    /// A `watch` cycle (or `detect --scheduled`), as Elastic schedules the rule: events whose time (the rule's
    /// `timestamp_override`, else `@timestamp`) lies in the look-back window `[now + from, now]`, and at most
    /// `max_signals` alerts per rule, the rest held back for the next run.
    case scheduled
}
