import BypassAuditor

/// Builds what ingest keeps from the rules folder, telling the operator about rule files it could not use.
enum RuleInterestLoader {
    static func load(rulesDirectory: String) -> (interest: EventInterest, ruleSet: RuleSet?) {
        let ruleSet: RuleSet
        do {
            ruleSet = try RuleSet.load(from: rulesDirectory)
        } catch {
            Console.err("warning: \(error); keeping bypass records only")
            return (.bypassOnly, nil)
        }
        for error in ruleSet.errors { Console.err("warning: rule not loaded: \(error)") }
        for warning in ruleSet.warnings { Console.err("warning: \(warning)") }
        return (ruleSet.eventInterest, ruleSet)
    }
}
