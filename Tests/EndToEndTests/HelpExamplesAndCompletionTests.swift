import Foundation
import Testing

/// Every command's help ends with examples; the shell completion scripts complete paths and option values.
@Suite("Help examples and shell completion")
struct HelpExamplesAndCompletionTests {
    /// The subcommands `help` lists under SUBCOMMANDS (lines indented by two spaces, then the name).
    static func subcommands(of path: [String]) throws -> [String] {
        let help = try CLI.run(path + ["--help"])
        guard let section = help.stdout.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help.stdout[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Every command path, found by walking the help (so a new command is covered without editing this test).
    static func allCommands() throws -> [[String]] {
        var found: [[String]] = [[]]
        var queue: [[String]] = [[]]
        while let path = queue.popLast() {
            for name in try subcommands(of: path) {
                found.append(path + [name])
                queue.append(path + [name])
            }
        }
        return found
    }

    @Test("Each command's --help has an EXAMPLES section that runs bypass-auditor")
    func everyHelpHasExamples() throws {
        let commands = try Self.allCommands()
        #expect(commands.count >= 25, "walked \(commands.count) commands: \(commands)")
        for command in commands {
            let help = try CLI.run(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            guard let examples = help.stdout.range(of: "EXAMPLES:\n") else {
                Issue.record("no EXAMPLES in `\(command.joined(separator: " ")) --help`")
                continue
            }
            let firstExample = help.stdout[examples.upperBound...].split(separator: "\n").first ?? ""
            #expect(firstExample.contains("bypass-auditor "), "\(command): \(firstExample)")
        }
    }

    /// The body of the bash function that completes `command` (argument-parser names it `_bypass-auditor_<path>`).
    static func bashFunction(_ script: String, _ command: String) throws -> Substring {
        let start = try #require(script.range(of: "\n_bypass-auditor_\(command)() {\n"), "no function for \(command)")
        let end = try #require(script.range(of: "\n}\n", range: start.upperBound..<script.endIndex))
        return script[start.upperBound..<end.lowerBound]
    }

    /// What the function offers after `option`.
    static func completion(_ function: Substring, _ option: String) throws -> Substring {
        let start = try #require(function.range(of: "'\(option)')\n"), "no completion case for \(option)")
        let end = try #require(function.range(of: "return", range: start.upperBound..<function.endIndex))
        return function[start.upperBound..<end.lowerBound]
    }

    @Test("The bash completion script names --fail-on's and --format's values and completes paths as files or folders")
    func bashCompletion() throws {
        let result = try CLI.run(["--generate-completion-script", "bash"])
        #expect(result.status == 0)
        let script = result.stdout
        func values(_ names: [String]) -> String { "-W " + names.map { "'\($0)'" }.joined(separator: "$'\\n'") }

        let drift = try Self.bashFunction(script, "drift")
        #expect(try Self.completion(drift, "--fail-on").contains(values(["critical", "high", "medium", "low", "info", "none"])))
        #expect(try Self.completion(drift, "--db").contains("__bypass-auditor_add_completions -f"))
        #expect(try Self.completion(drift, "--allowlist").contains("yaml|yml"))

        // `report` is `report write` (its default subcommand): the options complete there.
        let report = try Self.bashFunction(script, "report_write")
        #expect(try Self.completion(report, "--format").contains(values(["md", "html", "json", "csv"])))
        #expect(try Self.completion(report, "--out").contains("__bypass-auditor_add_completions -d"))
        #expect(try Self.completion(report, "--rules").contains("__bypass-auditor_add_completions -d"))

        let ingest = try Self.bashFunction(script, "ingest")
        #expect(try Self.completion(ingest, "--input-format").contains(values(["ecs", "ecs-search", "o365-api", "purview-csv"])))
        #expect(try Self.completion(ingest, "--api-key-file").contains("__bypass-auditor_add_completions -f"))
        #expect(ingest.contains("# Offer positional completions") && ingest.hasSuffix("__bypass-auditor_add_completions -f\n        return\n        ;;\n    esac"))

        let snapshotImport = try Self.bashFunction(script, "snapshot_import")
        #expect(snapshotImport.contains("csv|json"))
        let watch = try Self.bashFunction(script, "watch")
        #expect(try Self.completion(watch, "--output").contains("__bypass-auditor_add_completions -f"))
        let rulesList = try Self.bashFunction(script, "rules_list")
        #expect(try Self.completion(rulesList, "--rules").contains("__bypass-auditor_add_completions -d"))
    }

    @Test("The README says how to install the completion scripts")
    func readmeDocumentsCompletion() throws {
        let readme = try String(contentsOf: PackageRoot.url.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("--generate-completion-script bash"))
        #expect(readme.contains("--generate-completion-script zsh"))
        #expect(readme.contains("--generate-completion-script fish"))
    }
}
