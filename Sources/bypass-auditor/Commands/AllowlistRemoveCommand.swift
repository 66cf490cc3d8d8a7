import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist remove ID --reason TEXT`: removes an exemption that is no longer needed.
struct AllowlistRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove an entry (a reason is required and logged).")

    @Argument(help: "The entry id.")
    var id: String

    @OptionGroup var file: AllowlistFileOptions
    @OptionGroup var edit: AllowlistEditOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Why the exemption is no longer needed.")
    var reason: String

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--reason must say why the entry is removed")
        }
    }

    func run() throws {
        try edit.perform(path: file.path(), database: database.open()) { editor in
            try editor.remove(id: id, reason: reason)
        }
    }
}
