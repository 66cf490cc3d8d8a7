import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist add`: a new written exception, appended at the end of `entries`.
struct AllowlistAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an entry (refused when the register would not validate, or the entry lacks required fields).",
        discussion: """
            EXAMPLES:
              bypass-auditor allowlist add --account svc-journal@contoso.com \\
                --category third-party-tool --tool "Journal archiver" \\
                --owner messaging@contoso.com --justification "Journals mail." \\
                --approved-by ciso@contoso.com --approved-on 2026-11-20 \\
                --ticket CHG-2001 --expires-on 2027-11-20 --reason "new archiver"
              bypass-auditor allowlist add ... --dry-run     # print the diff only

            UNDO: the register is a file in git. Before committing, `git restore Policies/allowlist.yaml` puts it \
            back; once committed, `git revert <commit>`. The edit log keeps the add, and the next drift or report \
            shows the revert as a direct edit; to keep the log complete instead, run `allowlist remove ID --reason \
            ...` (the id stays retired).
            """)

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var file: AllowlistFileOptions
    @OptionGroup var edit: AllowlistEditOptions
    @OptionGroup var database: CreatingDatabaseOptions

    @Option(name: .long, help: "Unique, stable id (default: the next free one, e.g. AB-0006).")
    var id: String?
    @Option(name: .long, help: "The account the bypass is set on (UPN, alias or GUID).")
    var account: String
    @Option(name: .long, help: "Another name of the same account (repeatable).")
    var alias: [String] = []
    @Option(name: .long, help: "third-party-tool or lawful-monitoring.")
    var category: ExceptionCategory?
    @Option(name: .long, help: "The product using the account (required for third-party-tool).")
    var tool: String?
    @Option(name: .long, help: "The authority: case, warrant or policy reference (required for lawful-monitoring).")
    var legalBasis: String?
    @Option(name: .long, help: "Who owns the account.")
    var owner: String?
    @Option(name: .long, help: "Why the account may bypass auditing.")
    var justification: String?
    @Option(name: .long, help: "Who approved the exception.")
    var approvedBy: String?
    @Option(name: .long, help: "Approval day (YYYY-MM-DD).")
    var approvedOn: UTCDay?
    @Option(name: .long, help: "Change ticket.")
    var ticket: String?
    @Option(name: .long, help: "Last review day (YYYY-MM-DD).")
    var lastReviewedOn: UTCDay?
    @Option(name: .long, help: "Last day the approval is valid (YYYY-MM-DD).")
    var expiresOn: UTCDay?
    @Option(name: .long, help: "Why the entry is added, for the edit log.")
    var reason: String?
    @Flag(name: .long, help: "Add the entry even though fields its category requires are missing.")
    var allowIncomplete = false

    func run() throws {
        let entry = AllowlistEntry(
            id: id ?? "", account: account, aliases: alias, category: category,
            tool: tool, legalBasis: legalBasis, owner: owner, justification: justification, approvedBy: approvedBy,
            approvedOn: approvedOn, ticket: ticket,
            lastReviewedOn: lastReviewedOn, expiresOn: expiresOn)
        try edit.perform(
            .add(entry, allowIncomplete: allowIncomplete), reason: reason, path: file.path(),
            database: (try database.path(), createIfAbsent: true))
    }
}
