import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist renew ID`: records a review, and optionally a new expiry.
struct AllowlistRenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew", abstract: "Record a review of an entry (and optionally a new expiry).",
        discussion: """
            EXAMPLES:
              bypass-auditor allowlist renew AB-0004 --reviewed-on 2026-11-20 \\
                --expires-on 2027-11-15 --reason "reviewed with the owner"
              bypass-auditor allowlist renew AB-0004 --reviewed-on 2026-11-20 --dry-run

            UNDO: the register is a file in git. Before committing, `git restore Policies/allowlist.yaml` puts the \
            old dates back; once committed, `git revert <commit>`. The edit log keeps the renewal, and the next \
            drift or report shows the revert as a direct edit.
            """)

    @OptionGroup var outputOptions: OutputOptions
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
        try edit.perform(
            .renew(id: id, reviewedOn: reviewedOn, expiresOn: expiresOn), reason: reason, path: file.path(),
            database: (try database.path(), createIfAbsent: false))
    }
}
