import BypassAuditor

/// Builds what ingest keeps from the rules folder.
enum RuleInterestLoader {
    static func interest(rulesDirectory: String) throws -> EventInterest {
        // Until detection rules are loadable, ingest keeps bypass records only.
        .bypassOnly
    }
}
