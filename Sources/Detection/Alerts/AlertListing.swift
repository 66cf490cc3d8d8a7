import Core
import Foundation

/// An alert as `detect --json` and `alerts --json` print it: every `Alert` field (snake_case via JSONCoding) plus
/// `new` (raised by this run) where a run is reporting, `status` (open/triaged) and the direction in words.
public struct AlertListing: Encodable, Sendable {
    public var alert: Alert
    /// Set by `detect`: true when this run raised the alert, false when an earlier run did. Absent in `alerts`.
    public var isNew: Bool?

    public init(alert: Alert, isNew: Bool? = nil) {
        self.alert = alert
        self.isNew = isNew
    }

    private enum ExtraKeys: String, CodingKey {
        case new
        case status
        case directionExplanation
        case reason
    }

    public func encode(to encoder: Encoder) throws {
        try alert.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        if let isNew { try container.encode(isNew, forKey: .new) }
        try container.encode(alert.isOpen ? "open" : "triaged", forKey: .status)
        try container.encodeIfPresent(alert.directionExplanation, forKey: .directionExplanation)
        try container.encode(alert.reason, forKey: .reason)
    }
}

/// The rules a run used, as outputs and reports publish them: the set's digest and each file's.
public struct RuleSetManifest: Codable, Sendable, Hashable {
    public var digest: String
    public var files: [RuleSet.RuleFile]
    public var errors: [RuleLoadError]
    public var warnings: [RuleLoadWarning]
    public var rules: [RuleSummary]

    /// One rule in brief.
    public struct RuleSummary: Codable, Sendable, Hashable {
        public var ruleID: String
        public var name: String
        public var severity: Severity
        public var riskScore: Int
        public var signal: DetectionSignal
        public var interval: String
        public var from: String
        public var maxSignals: Int
        public var timestampOverride: String?
        public var file: String
        public var techniques: [String]
    }
}

extension RuleSet {
    public var manifest: RuleSetManifest {
        RuleSetManifest(
            digest: digest, files: files, errors: errors, warnings: warnings,
            rules: rules.map { rule in
                RuleSetManifest.RuleSummary(
                    ruleID: rule.ruleID, name: rule.name, severity: rule.severity, riskScore: rule.riskScore,
                    signal: rule.signal, interval: rule.interval.text, from: rule.lookBack.text,
                    maxSignals: rule.maxSignals, timestampOverride: rule.timestampOverride, file: rule.sourceFile,
                    techniques: rule.techniqueIDs)
            })
    }
}
