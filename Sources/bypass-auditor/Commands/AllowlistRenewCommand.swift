import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist renew ID`: records a review, and optionally a new expiry.
struct AllowlistRenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew", abstract: "Record a review of an entry (and optionally a new expiry).")

    @Argument(help: "The entry id.")
    var id: String

    @OptionGroup var file: AllowlistFileOptions
    @OptionGroup var edit: AllowlistEditOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "The day of the review (YYYY-MM-DD, not in the future).")
    var reviewedOn: UTCDay
    @Option(name: .long, help: "A new last day of validity (YYYY-MM-DD, after the review).")
    var expiresOn: UTCDay?
    @Option(name: .long, help: "What the review concluded, for the edit log.")
    var reason: String?

    func run() throws {
        try edit.perform(path: file.path(), database: database.open()) { editor in
            try editor.renew(id: id, reviewedOn: reviewedOn, expiresOn: expiresOn, reason: reason)
        }
    }
}
