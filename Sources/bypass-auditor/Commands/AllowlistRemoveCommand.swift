import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist remove ID --reason TEXT`: removes an exemption that is no longer needed.
struct AllowlistRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove an entry (a reason is required and logged).",
        discussion: """
            On a terminal the entry is shown and you are asked to confirm; scripts pass --yes (without it, and \
            without a terminal to ask on, nothing is removed).

            EXAMPLES:
              bypass-auditor allowlist remove AB-0005 --reason "tool retired"
              bypass-auditor allowlist remove AB-0005 --reason "retired" --yes  # script
              bypass-auditor allowlist remove AB-0005 --reason "retired" --dry-run

            UNDO: the register is a file in git. Before committing, `git restore Policies/allowlist.yaml` brings the \
            entry back; once committed, `git revert <commit>`. The edit log keeps the removal, and the next drift \
            or report shows the entry's return as a direct edit.
            """)

    @OptionGroup var outputOptions: OutputOptions
    @Argument(help: "The entry id.")
    var id: String

    @OptionGroup var file: AllowlistFileOptions
    @OptionGroup var edit: AllowlistEditOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Why the exemption is no longer needed.")
    var reason: String

    @Flag(name: .long, help: "Remove without asking first (needed when stdin is not a terminal, as in scripts).")
    var yes = false

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--reason must say why the entry is removed")
        }
    }

    func run() throws {
        let path = try file.path()
        let databasePath = try database.path()
        // A missing database is reported before the question, not after the answer.
        if !edit.dryRun, !FileManager.default.fileExists(atPath: databasePath) {
            throw DatabaseOpenError.missing(path: databasePath)
        }
        if !yes, !edit.dryRun { try confirm(path: path) }
        try edit.perform(.remove(id: id), reason: reason, path: path, database: (databasePath, createIfAbsent: false))
    }

    /// Shows the entry and the change, and asks; refuses when nobody can answer (stdin is not a terminal).
    private func confirm(path: String) throws {
        guard isatty(FileHandle.standardInput.fileDescriptor) != 0 else {
            Console.err(
                "error: allowlist remove asks for confirmation, and stdin is not a terminal: pass --yes to remove "
                    + "\(TerminalText.cell(id)) without asking (or --dry-run to see the change first)")
            throw ExitCode(64)
        }
        let preview = try AllowlistEditor.preview(.remove(id: id), path: path, database: nil)
        Console.err(String(TerminalText.safe(preview.diff, keepingLineBreaks: true).dropLast()))
        let entry = preview.entry.map { "\($0.id) (\($0.account))" } ?? preview.entryId
        FileHandle.standardError.write(Data("Remove \(TerminalText.cell(entry)) from \(path)? [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            Console.err("not removed: nothing written, nothing logged")
            throw ExitStatus.failure
        }
    }
}
