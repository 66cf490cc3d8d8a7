import Core

/// What one detection run did: the stored run record, the alerts it raised and what each rule did. (Not the alerts'
/// events: a catch-up run can raise hundreds of thousands; `AlertDocument.line(for:in:rule:)` reads each from the
/// store when it is written out.)
public struct DetectionRunResult: Sendable {
    public var summary: DetectionRunSummary
    /// Alerts raised by this run, oldest event first.
    public var newAlerts: [Alert]
    public var rules: [RuleRunOutcome]

    public init(summary: DetectionRunSummary, newAlerts: [Alert], rules: [RuleRunOutcome]) {
        self.summary = summary
        self.newAlerts = newAlerts
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
