import Foundation

/// `detect --json`: the run, the rules, the rule set and every stored alert (with `new`).
public struct DetectDocument: Sendable, Encodable {
    public var run: DetectionRunSummary
    public var rules: [RuleRunOutcome]
    public var ruleSet: RuleSetManifest
    public var alerts: [AlertListing]

    public init(run: DetectionRunSummary, rules: [RuleRunOutcome], ruleSet: RuleSetManifest, alerts: [AlertListing]) {
        self.run = run
        self.rules = rules
        self.ruleSet = ruleSet
        self.alerts = alerts
    }
}

/// `alerts --json`: the listed alerts and their counts.
public struct AlertsDocument: Sendable, Encodable {
    public var alerts: [AlertListing]
    public var count: Int
    public var open: Int
    public var triaged: Int

    public init(alerts: [Alert]) {
        self.alerts = alerts.map { AlertListing(alert: $0) }
        count = alerts.count
        open = alerts.filter(\.isOpen).count
        triaged = alerts.count - open
    }
}
