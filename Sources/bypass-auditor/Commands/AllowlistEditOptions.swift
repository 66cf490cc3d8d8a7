import ArgumentParser
import BypassAuditor
import Foundation

/// What every editing subcommand takes: who is editing, whether to only show the change, and how to print it.
struct AllowlistEditOptions: ParsableArguments {
    @Option(name: .long, help: "Who makes the edit, for the edit log (default: the login name).")
    var by: String?

    @Flag(name: .long, help: "Print the change as a diff of the register and stop: nothing is written or logged.")
    var dryRun = false

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    /// Applies `request` to the register at `path`, logging to the database at `database.path` (created when absent
    /// only if `database.createIfAbsent`, and only once the edit is known to be accepted: a refused edit leaves no
    /// stray database behind). With `--dry-run`, prints the diff instead, reading the database only when it exists.
    func perform(
        _ request: AllowlistEditRequest, reason: String?, path: String, database: (path: String, createIfAbsent: Bool)
    ) throws {
        let exists = FileManager.default.fileExists(atPath: database.path)
        if dryRun {
            // Read-only: a dry run changes nothing, not even the schema of the database it reads the used ids from.
            let existing = exists ? try AuditDatabase.open(path: database.path, .mustExist, access: .readOnly) : nil
            try show(AllowlistEditor.preview(request, path: path, database: existing))
            return
        }
        if !exists, database.createIfAbsent {
            _ = try AllowlistEditor.preview(request, path: path, database: nil)
            Console.err("warning: creating a new database at \(database.path) (no database there yet)")
        }
        let opened = try AuditDatabase.open(path: database.path, database.createIfAbsent ? .createIfAbsent : .mustExist)
        let outcome = try AllowlistEditor(path: path, database: opened, by: by).apply(request, reason: reason)
        for recovery in outcome.recovered { Console.err("note: " + TerminalText.safe(recovery.description)) }
        if json {
            try Console.json(AllowlistEditReport(outcome))
            return
        }
        let reason = outcome.edit.reason.map { " — \($0)" } ?? ""
        Console.out("\(path): " + TerminalText.cell(outcome.edit.summary + reason))
        Console.out("logged as edit #\(outcome.editID) by \(TerminalText.cell(outcome.edit.by)) in \(opened.path)")
        for warning in outcome.result.warnings { Console.err(TerminalText.safe(warning.description, keepingLineBreaks: true)) }
    }

    private func show(_ preview: AllowlistEditPreview) throws {
        if json {
            try Console.json(preview)
            return
        }
        if !preview.diff.isEmpty { Console.out(String(TerminalText.safe(preview.diff, keepingLineBreaks: true).dropLast())) }
        Console.out("dry run, not applied: \(TerminalText.cell(preview.summary)); nothing written, nothing logged")
        for warning in preview.warnings { Console.err(TerminalText.safe(warning.description, keepingLineBreaks: true)) }
    }
}

extension CreatingDatabaseOptions {
    /// The database's path, resolved (and announced) once.
    func path() throws -> String { try ProjectPaths.resolve(db, \.database, name: "db") }
}
