import Core
import Foundation

/// `detect --json`: the run, the rules, the rule set and every stored alert (with `new`).
///
/// The alerts are streamed: they are every alert the database holds, which grows with every month stored (200,000
/// a month at scale), so they are read and written one at a time instead of being held with their text.
public struct DetectDocument: Encodable {
    public var run: DetectionRunSummary
    public var rules: [RuleRunOutcome]
    public var ruleSet: RuleSetManifest
    public var alerts: JSONStreamedArray<AlertListing>

    public init(
        run: DetectionRunSummary, rules: [RuleRunOutcome], ruleSet: RuleSetManifest,
        alerts: JSONStreamedArray<AlertListing>
    ) {
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
