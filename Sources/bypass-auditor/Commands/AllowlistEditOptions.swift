import ArgumentParser
import BypassAuditor
import Foundation

/// What every editing subcommand takes: the database for the edit log, and who is editing.
struct AllowlistEditOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Who makes the edit, for the edit log (default: the login name).")
    var by: String?

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    /// Runs `edit` with an editor for `path`, printing the outcome, or the refusal with status 1.
    func perform(path: String, _ edit: (AllowlistEditor) throws -> AllowlistEditOutcome) throws {
        let outcome: AllowlistEditOutcome
        do {
            let editor = AllowlistEditor(path: path, database: try database.open(), by: by)
            outcome = try edit(editor)
        } catch let error as AllowlistEditError {
            Console.err(TerminalText.safe(error.description, keepingLineBreaks: true))
            throw ExitStatus.failure
        } catch let error as AllowlistLoadError {
            Console.err(error.description)
            throw ExitStatus.failure
        } catch let error as StoreError {
            Console.err(error.description)
            throw ExitStatus.failure
        }
        if json {
            try Console.json(AllowlistEditReport(outcome))
            return
        }
        let reason = outcome.edit.reason.map { " — \($0)" } ?? ""
        Console.out("\(path): " + TerminalText.cell(outcome.edit.summary + reason))
        Console.out("logged as edit #\(outcome.editID) by \(TerminalText.cell(outcome.edit.by)) in \(database.db)")
        for warning in outcome.result.warnings { Console.err(TerminalText.safe(warning.description, keepingLineBreaks: true)) }
    }
}

/// The JSON document of `allowlist add|renew|remove --json`.
struct AllowlistEditReport: Encodable {
    var edit: AllowlistEdit
    var editId: Int64
    var path: String
    var sha256Before: String
    var sha256After: String
    var changes: [AllowlistVersionChange]
    var warnings: [AllowlistIssue]

    init(_ outcome: AllowlistEditOutcome) {
        edit = outcome.edit
        editId = outcome.editID
        path = outcome.result.path
        sha256Before = outcome.fromSHA256
        sha256After = outcome.result.sha256
        changes = outcome.changes
        warnings = outcome.result.warnings
    }
}
