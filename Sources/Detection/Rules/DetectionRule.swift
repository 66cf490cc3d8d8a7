import Core
import Foundation

/// One detection rule, read from an Elastic detection-rules TOML file (`[metadata]` + `[rule]`).
///
/// Only `type = "query"` rules in `language = "kuery"` are supported: the kind the seed rule and its successors are.
public struct DetectionRule: Sendable, Hashable {
    /// Elastic's defaults when a rule leaves them out.
    public static let defaultInterval = RuleDuration("5m")!
    public static let defaultLookBack = DateMath("now-6m")!
    public static let defaultMaxSignals = 100

    public var ruleID: String
    public var name: String
    public var description: String
    public var query: KQLQuery
    public var index: [String]
    public var riskScore: Int
    public var severity: Severity
    /// How often the rule runs.
    public var interval: RuleDuration
    /// `from`: how far back each run looks (`now-6m`).
    public var lookBack: DateMath
    /// `max_signals`: the most alerts one run raises; the rest wait for the next run.
    public var maxSignals: Int
    /// The field whose time places an event in the look-back window (`event.ingested`), else `@timestamp`.
    public var timestampOverride: String?
    /// When true, an event without the override field is never in the window (Elastic's
    /// `timestamp_override_fallback_disabled`); by default it falls back to `@timestamp`.
    public var timestampOverrideFallbackDisabled: Bool
    public var tags: [String]
    /// The investigation guide (Markdown).
    public var note: String?
    public var falsePositives: [String]
    public var references: [String]
    public var threats: [MitreThreat]
    public var author: [String]
    public var license: String?
    /// `[rule] version`, when present (Elastic keeps versions in a lock file; older files carry it here).
    public var version: Int?
    /// `[metadata] updated_date` (`YYYY/MM/DD`), the first key when two files carry the same `rule_id`.
    public var updatedDate: UTCDay?
    public var creationDate: UTCDay?
    public var maturity: String?
    /// What the rule watches for: `[bypass_auditor] signal`, or inferred from the query when absent.
    public var signal: DetectionSignal
    /// True when `signal` was inferred from the query (a file with no `[bypass_auditor]` table).
    public var signalInferred: Bool
    /// Every key of the file the tool does not interpret, by dotted path (`rule.setup`, `metadata.integration`):
    /// kept, never rejected.
    public var otherKeys: [String: RuleAttribute]
    /// The file it was read from (as given to the loader) and its SHA-256.
    public var sourceFile: String
    public var sourceDigest: String

    /// The event time this rule's schedule uses: the override field when the event has it, else `@timestamp`.
    public func scheduleTime(of event: AuditEvent) -> Date? {
        if let timestampOverride {
            if let value = event.string(timestampOverride), let time = UTCTimestamp.parse(value) { return time }
            if timestampOverrideFallbackDisabled { return nil }
        }
        return event.timestamp
    }

    /// The MITRE ATT&CK technique and sub-technique ids the rule maps to (`T1562`, `T1562.001`).
    public var techniqueIDs: [String] {
        threats.flatMap { threat in threat.techniques.flatMap { [$0.id] + $0.subtechniques.map(\.id) } }
    }
}

/// One `[[rule.threat]]` entry: a tactic and the techniques under it.
public struct MitreThreat: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var reference: String?
    }

    public struct Technique: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var reference: String?
        public var subtechniques: [Entry]
    }

    public var framework: String
    public var tactic: Entry
    public var techniques: [Technique]
}
