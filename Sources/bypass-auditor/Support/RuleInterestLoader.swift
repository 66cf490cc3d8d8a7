import BypassAuditor

/// Builds what ingest keeps from the rules in force, telling the operator about rule files it could not use.
enum RuleInterestLoader {
    /// A `--rules` path that cannot be read fails the run: storing only bypass records would silently drop the
    /// events the other rules exist for (an audit-impairment record is never read again).
    static func load(_ source: RuleSource) throws -> (interest: EventInterest, ruleSet: RuleSet) {
        let ruleSet: RuleSet
        do {
            ruleSet = try source.load()
        } catch {
            Console.err("error: rules: \(error)")
            throw ExitStatus.failure
        }
        for error in ruleSet.errors { Console.err("warning: rule not loaded: \(error)") }
        for warning in ruleSet.warnings { Console.err("warning: \(warning)") }
        return (ruleSet.eventInterest, ruleSet)
    }
}
