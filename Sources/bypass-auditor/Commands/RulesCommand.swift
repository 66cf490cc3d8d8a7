import ArgumentParser

/// `rules`: looks at the detection rules themselves (their subcommands live in files of their own).
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Inspect the detection rules.",
        subcommands: [RulesDSLCommand.self])
}
