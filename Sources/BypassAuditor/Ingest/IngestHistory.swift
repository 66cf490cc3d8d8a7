import Foundation
import GRDB

/// What earlier ingest runs used, so a rule added later can say that older history never met it.
public enum IngestHistory {
    /// Of `ruleIDs`, those that some earlier run which read records did not have loaded: events that only such a rule
    /// keeps were not stored by that run, so its inputs need ingesting again for the rule to see them.
    public static func rulesMissingFromEarlierRuns(_ db: Database, ruleIDs: [String]) throws -> [String] {
        let earlier = try String.fetchAll(db, sql: "SELECT rule_ids FROM ingest_run WHERE records > 0")
        var missing = Set<String>()
        for text in earlier {
            let used = Set((try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [])
            missing.formUnion(ruleIDs.filter { !used.contains($0) })
        }
        return ruleIDs.filter(missing.contains)
    }
}
