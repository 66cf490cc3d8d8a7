import Core

/// What one detection run did: the stored run record, the alerts it raised (with their events, for `--ndjson`) and
/// what each rule did.
public struct DetectionRunResult: Sendable {
    public var summary: DetectionRunSummary
    /// Alerts raised by this run, oldest event first.
    public var newAlerts: [Alert]
    /// The event of each new alert, by event id.
    public var events: [String: AuditEvent]
    public var rules: [RuleRunOutcome]

    public init(summary: DetectionRunSummary, newAlerts: [Alert], events: [String: AuditEvent], rules: [RuleRunOutcome]) {
        self.summary = summary
        self.newAlerts = newAlerts
        self.events = events
        self.rules = rules
    }

    /// Rules that reached `max_signals` this run.
    public var rulesHoldingBack: [RuleRunOutcome] { rules.filter { $0.heldBack > 0 } }
}

/// One rule's part in a run.
public struct RuleRunOutcome: Sendable, Hashable, Codable {
    public var ruleID: String
    public var ruleName: String
    /// Events this rule evaluated in this run.
    public var eventsEvaluated: Int
    /// Of those, how many its query matched.
    public var matched: Int
    public var alertsRaised: Int
    /// Alerts over `max_signals`, waiting for the next run.
    public var heldBack: Int
    /// Events outside the rule's look-back window, waiting to be evaluated by a later run.
    public var deferred: Int
    public var maxSignals: Int
    /// The rule's query changed since it last ran, so it re-read every stored event.
    public var restartedForChangedQuery: Bool
}
