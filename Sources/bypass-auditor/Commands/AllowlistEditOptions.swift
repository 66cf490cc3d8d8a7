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

    /// Applies `request` to the register at `path` (logging to the database `open` gives), or with `--dry-run` prints
    /// the diff it would make, reading the database only when `existing` finds one.
    func perform(
        _ request: AllowlistEditRequest, reason: String?, path: String, open: () throws -> AuditDatabase,
        existing: () throws -> AuditDatabase?
    ) throws {
        if dryRun {
            try show(AllowlistEditor.preview(request, path: path, database: existing()))
            return
        }
        let database = try open()
        let outcome = try AllowlistEditor(path: path, database: database, by: by).apply(request, reason: reason)
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

extension DatabaseOptions {
    /// The database when it exists (for `--dry-run`, which creates nothing).
    func openIfPresent() throws -> AuditDatabase? {
        let path = try path()
        return FileManager.default.fileExists(atPath: path) ? try AuditDatabase.open(path: path, .mustExist) : nil
    }
}

extension CreatingDatabaseOptions {
    /// The database when it exists (for `--dry-run`, which creates nothing).
    func openIfPresent() throws -> AuditDatabase? {
        let path = try ProjectPaths.resolve(db, \.database, name: "db")
        return FileManager.default.fileExists(atPath: path) ? try AuditDatabase.open(path: path, .mustExist) : nil
    }
}
