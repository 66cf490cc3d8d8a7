import ArgumentParser

/// `bypass-auditor rules`: the detection rules in force.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Show the detection rules in force and their Elasticsearch query DSL.",
        discussion: Examples.rules,
        subcommands: [RulesListCommand.self, RulesDSLCommand.self]
    )
}
