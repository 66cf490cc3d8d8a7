import Ingest
import Reading
import Foundation

extension RuleSet {
    /// What ingest must keep for these rules: the literal groups that let it skip lines no rule can match without
    /// parsing them, and the matcher that decides for parsed events (bypass records are kept regardless).
    public var eventInterest: EventInterest {
        let literals = rules.map { KQLRequiredLiterals($0.query.expression) }
        let prefilter = LinePrefilter(
            literalGroups: Self.distinctGroups(literals.flatMap(\.sortedGroups).filter { !$0.isEmpty }),
            matchesEverything: literals.contains { $0.matchesEverything })
        let queries = rules.map(\.query)
        return EventInterest(
            prefilter: prefilter, ruleSetDigest: digest, ruleIDs: rules.map(\.ruleID).sorted(),
            matches: { event in
                let now = Date()
                return queries.contains { $0.matches(event, now: now) }
            })
    }

    /// Each rule's literal groups, by rule id (what `eventInterest` combines; shown by tests and diagnostics).
    public var requiredLiterals: [String: KQLRequiredLiterals] {
        Dictionary(uniqueKeysWithValues: rules.map { ($0.ruleID, KQLRequiredLiterals($0.query.expression)) })
    }

    private static func distinctGroups(_ groups: [[String]]) -> [[String]] {
        var seen: Set<[String]> = []
        return groups.filter { seen.insert($0).inserted }
    }
}
