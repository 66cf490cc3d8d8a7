import Core
import Reading

/// What ingest keeps: every bypass record, plus any event a loaded detection rule matches.
///
/// Detection builds this from its rule set (`RuleSet.eventInterest`); ingest needs only the prefilter literals and
/// the matcher, so the two stages meet here rather than ingest knowing about rules.
public struct EventInterest: Sendable {
    public var prefilter: LinePrefilter
    /// Digest of the rule set, remembered per ingest run so a later rule set can tell that history needs re-ingesting.
    public var ruleSetDigest: String
    public var ruleIDs: [String]
    /// Whether a loaded rule matches the event (bypass records are kept whatever this says).
    public var matches: @Sendable (AuditEvent) -> Bool

    public init(
        prefilter: LinePrefilter, ruleSetDigest: String, ruleIDs: [String], matches: @escaping @Sendable (AuditEvent) -> Bool
    ) {
        self.prefilter = prefilter
        self.ruleSetDigest = ruleSetDigest
        self.ruleIDs = ruleIDs
        self.matches = matches
    }

    /// Keeps bypass records only (no rules loaded).
    public static let bypassOnly = EventInterest(
        prefilter: .bypassOnly, ruleSetDigest: "none", ruleIDs: [], matches: { _ in false })

    /// Whether ingest stores `event`.
    public func keeps(_ event: AuditEvent) -> Bool {
        event.isBypassChange || matches(event)
    }
}
