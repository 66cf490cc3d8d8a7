import ArgumentParser
import BypassAuditor
import Foundation

/// What every editing subcommand takes: who is editing, and how to print the outcome.
struct AllowlistEditOptions: ParsableArguments {
    @Option(name: .long, help: "Who makes the edit, for the edit log (default: the login name).")
    var by: String?

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    /// Runs `edit` with an editor for `path` logging to `database`, and prints the outcome.
    func perform(path: String, database: AuditDatabase, _ edit: (AllowlistEditor) throws -> AllowlistEditOutcome) throws {
        let outcome = try edit(AllowlistEditor(path: path, database: database, by: by))
        for recovery in outcome.recovered { Console.err("note: " + TerminalText.safe(recovery.description)) }
        if json {
            try Console.json(AllowlistEditReport(outcome))
            return
        }
        let reason = outcome.edit.reason.map { " — \($0)" } ?? ""
        Console.out("\(path): " + TerminalText.cell(outcome.edit.summary + reason))
        Console.out("logged as edit #\(outcome.editID) by \(TerminalText.cell(outcome.edit.by)) in \(database.path)")
        for warning in outcome.result.warnings { Console.err(TerminalText.safe(warning.description, keepingLineBreaks: true)) }
    }
}
