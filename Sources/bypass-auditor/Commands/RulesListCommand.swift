import ArgumentParser
import BypassAuditor
import Foundation

/// `rules list`: which rule set is in force (bundled or `--rules`), its digest, and each rule.
struct RulesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Which rule set is in force (the bundled rules, or --rules), its digest and its rules.",
        discussion: Examples.after(
            """
            The binary carries the rules of Policies/rules as they were when it was built, so it detects the same \
            things from any folder. --rules DIR replaces them (a DIR that does not exist is an error). The digest \
            is the one detect and report publish: equal digests mean equal rules. --json prints {"source", \
            "path", "digest", "files", "rules": [{"rule_id", "name", "severity", "risk_score", "file"}], "errors", \
            "warnings"}.
            """, Examples.rulesList))

    @OptionGroup var outputOptions: OutputOptions
    @Option(
        name: .long, help: "Folder (or file) of detection rules in Elastic's TOML format, instead of the bundled rules.",
        completion: .directory)
    var rules: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let source = RuleSource(option: rules)
        let ruleSet: RuleSet
        do {
            ruleSet = try source.load()
        } catch {
            Console.err("error: rules: \(error)")
            throw ExitStatus.failure
        }
        if json {
            try Console.json(RulesListDocument(source: source, ruleSet: ruleSet))
        } else {
            var lines = [
                "Rules in force: \(source == .bundled ? "bundled with this binary (from Policies/rules)" : source.description)",
                "Rule set digest: \(ruleSet.digest)",
                "",
            ]
            var table = TextTable(headers: ["RULE ID", "NAME", "SEVERITY", "RISK", "FILE"])
            for rule in ruleSet.rules {
                table.add([rule.ruleID, rule.name, rule.severity.rawValue, String(rule.riskScore), rule.sourceFile])
            }
            lines.append(table.render())
            for error in ruleSet.errors { lines.append("not loaded: \(AlertText.inert(error.description))") }
            for warning in ruleSet.warnings { lines.append("warning: \(AlertText.inert(warning.description))") }
            Console.out(lines.joined(separator: "\n"))
        }
        if !ruleSet.errors.isEmpty { throw ExitStatus.inputSkipped }
    }
}

/// `rules list --json`.
private struct RulesListDocument: Encodable {
    struct Rule: Encodable {
        var ruleID: String
        var name: String
        var severity: String
        var riskScore: Int
        var file: String

        enum CodingKeys: String, CodingKey {
            case ruleID = "ruleId", name, severity, riskScore, file
        }
    }

    var source: String
    var path: String?
    var digest: String
    var files: [RuleSet.RuleFile]
    var rules: [Rule]
    var errors: [String]
    var warnings: [String]

    init(source: RuleSource, ruleSet: RuleSet) {
        if case .path(let path) = source {
            self.source = "path"
            self.path = path
        } else {
            self.source = "bundled"
            path = nil
        }
        digest = ruleSet.digest
        files = ruleSet.files
        rules = ruleSet.rules.map {
            Rule(ruleID: $0.ruleID, name: $0.name, severity: $0.severity.rawValue, riskScore: $0.riskScore, file: $0.sourceFile)
        }
        errors = ruleSet.errors.map(\.description)
        warnings = ruleSet.warnings.map(\.description)
    }

    func encode(to encoder: Encoder) throws {
        enum Keys: String, CodingKey { case source, path, digest, files, rules, errors, warnings }
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(source, forKey: .source)
        try container.encode(path, forKey: .path)
        try container.encode(digest, forKey: .digest)
        try container.encode(files, forKey: .files)
        try container.encode(rules, forKey: .rules)
        try container.encode(errors, forKey: .errors)
        try container.encode(warnings, forKey: .warnings)
    }
}
