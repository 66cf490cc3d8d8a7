import BypassAuditor
import Foundation

/// Builds what ingest keeps from the rules in force, telling the operator about rule files it could not use.
enum RuleInterestLoader {
    /// A `--rules` path that cannot be read fails the run: storing only bypass records would silently drop the
    /// events the other rules exist for (an audit-impairment record is never read again).
    static func load(_ source: RuleSource) throws -> (interest: EventInterest, ruleSet: RuleSet) {
        try report(Result { try compile(source) })
    }

    /// `load(source)`, with the rules read and compiled on another thread while `meanwhile` runs on this one. Ingest
    /// opens its database meanwhile (a new one is migrated): both come before the first byte of input is read, and
    /// each takes several milliseconds of one core. Messages are written in the order `meanwhile`, then the rules.
    static func load<Value>(_ source: RuleSource, meanwhile: () throws -> Value) throws
        -> (value: Value, interest: EventInterest, ruleSet: RuleSet)
    {
        let loading = DispatchGroup()
        // Written by the loading thread before it leaves the group, read here only after waiting for the group.
        nonisolated(unsafe) var compiled: Result<(interest: EventInterest, ruleSet: RuleSet), any Error>?
        DispatchQueue.global().async(group: loading) {
            compiled = Result { try compile(source) }
        }
        let value: Value
        do {
            value = try meanwhile()
        } catch {
            loading.wait()
            throw error
        }
        loading.wait()
        guard let compiled else { preconditionFailure("the rule loading thread left without a result") }
        let (interest, ruleSet) = try report(compiled)
        return (value, interest, ruleSet)
    }

    private static func compile(_ source: RuleSource) throws -> (interest: EventInterest, ruleSet: RuleSet) {
        let ruleSet = try source.load()
        return (ruleSet.eventInterest, ruleSet)
    }

    private static func report(_ compiled: Result<(interest: EventInterest, ruleSet: RuleSet), any Error>) throws
        -> (interest: EventInterest, ruleSet: RuleSet)
    {
        let result: (interest: EventInterest, ruleSet: RuleSet)
        do {
            result = try compiled.get()
        } catch {
            Console.err("error: rules: \(error)")
            throw ExitStatus.failure
        }
        for error in result.ruleSet.errors { Console.err("warning: rule not loaded: \(error)") }
        for warning in result.ruleSet.warnings { Console.err("warning: \(warning)") }
        return result
    }
}
