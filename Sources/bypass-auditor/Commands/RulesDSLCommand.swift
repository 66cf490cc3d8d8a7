import ArgumentParser
import BypassAuditor

/// `rules dsl`: each rule's KQL as the Elasticsearch query DSL a cluster search sends.
struct RulesDSLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsl",
        abstract: "Print each rule's query (or one --query) as Elasticsearch query DSL.",
        discussion: Examples.after(
            """
            Prints the JSON object that goes under "query" in a search request, with the meaning the tool's own \
            KQL engine gives the rule (keyword fields: exact, case-sensitive). Exit status: 0 ok; 1 when the rules \
            cannot be loaded or the query does not parse; 2 when some rule file could not be loaded.
            """, Examples.rulesDSL))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var rules: RulesOptions

    @Option(name: .long, help: "Only the rule with this rule_id.")
    var rule: String?

    @Option(name: .long, help: "Translate this KQL query instead of the rules.")
    var query: String?

    @Flag(name: .long, help: "Print {\"rules\": [{\"rule_id\", \"name\", \"kql\", \"query\"}]}.")
    var json = false

    func validate() throws {
        if query != nil && rule != nil { throw ValidationError("--query and --rule cannot be combined") }
    }

    func run() throws {
        let translations: [RuleQueryDSL]
        var skippedRuleFiles = false
        if let query {
            do {
                translations = [RuleQueryDSL(query: try KQLQuery(query))]
            } catch {
                Console.err("error: --query: \(error)")
                throw ExitStatus.failure
            }
        } else {
            let ruleSet = try DetectionCommandSupport.loadRules(try rules.source(), quiet: true)
            skippedRuleFiles = !ruleSet.errors.isEmpty
            var selected = ruleSet.rules
            if let rule {
                selected = selected.filter { $0.ruleID == rule }
                guard !selected.isEmpty else {
                    Console.err("error: no rule with rule_id \(rule) in the rules in force (see `bypass-auditor rules list`)")
                    throw ExitStatus.failure
                }
            }
            translations = selected.map(RuleQueryDSL.init(rule:))
        }
        if json {
            try Console.json(RulesDSLOutput(rules: translations))
        } else if query != nil {
            Console.out(translations[0].query.jsonText(pretty: true))
        } else {
            for translation in translations {
                Console.out("# \(translation.ruleID ?? "") \(AlertText.inert(translation.name ?? ""))")
                Console.out(translation.query.jsonText(pretty: true))
            }
        }
        if skippedRuleFiles { throw ExitStatus.inputSkipped }
    }
}

/// `rules dsl --json`.
private struct RulesDSLOutput: Encodable {
    var rules: [RuleQueryDSL]
}
