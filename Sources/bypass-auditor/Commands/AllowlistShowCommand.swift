import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist show ID`: one entry in full, how it stands, its problems and (when the database exists) its history.
struct AllowlistShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one entry in full, with its standing and its edit history.",
        discussion: Examples.allowlistShow)

    @OptionGroup var outputOptions: OutputOptions
    @Argument(help: "The entry id (e.g. AB-0001).")
    var id: String

    @OptionGroup var file: AllowlistFileOptions

    @Option(name: .long, help: "The SQLite database holding the edit log (read only when it exists).", completion: .file())
    var db: String = AuditDatabase.defaultPath

    @OptionGroup var moment: AsOfOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let day = UTCDay(containing: moment.resolve())
        let (allowlist, result) = try file.loadValid()
        guard let entry = allowlist.entry(withID: id) else {
            throw AllowlistEditError.entryNotFound(id: id, path: result.path, closest: allowlist.closestIDs(to: id))
        }
        let standing = allowlist.standing(of: entry, on: day)
        let issues = result.issues.filter { $0.entryID == entry.id }
        var edits: [AllowlistEdit] = []
        var changes: [AllowlistVersionChange] = []
        if FileManager.default.fileExists(atPath: db) {
            (edits, changes) = try EntryHistory.of(entry.id, in: AuditDatabase.open(path: db, .mustExist, access: .readOnly))
        }
        if json {
            try Console.json(AllowlistEntryDetail(entry: entry, standing: standing, issues: issues, edits: edits, changes: changes))
            return
        }
        let fields: [(String, String?)] = [
            ("id", entry.id), ("account", entry.account), ("aliases", entry.aliases.isEmpty ? nil : entry.aliases.joined(separator: ", ")),
            ("category", entry.category?.rawValue), ("tool", entry.tool), ("legal_basis", entry.legalBasis),
            ("owner", entry.owner), ("justification", entry.justification), ("approved_by", entry.approvedBy),
            ("approved_on", entry.approvedOn?.description), ("ticket", entry.ticket),
            ("last_reviewed_on", entry.lastReviewedOn?.description), ("expires_on", entry.expiresOn?.description),
        ]
        for (key, value) in fields {
            Console.out(key.padding(toLength: 17, withPad: " ", startingAt: 0) + " " + TerminalText.cell(value))
        }
        var status = "status            \(standing.labels.joined(separator: ", ")) as of \(day)"
        if let days = standing.daysToExpiry { status += days >= 0 ? "; expires in \(days) day(s)" : "; expired \(-days) day(s) ago" }
        if let due = standing.reviewDueOn { status += "; review due \(due)" }
        Console.out(status)
        if let position = entry.position { Console.out("defined at        \(result.path):\(position)") }
        for issue in issues { Console.out(TerminalText.safe(issue.description, keepingLineBreaks: true)) }
        if !edits.isEmpty {
            Console.out("\nEdits:")
            for edit in edits {
                let reason = edit.reason.map { " — \($0)" } ?? ""
                Console.out("  \(UTCTimestamp.format(edit.at))  " + TerminalText.cell("\(edit.by)  \(edit.summary)\(reason)"))
            }
        }
        if !changes.isEmpty {
            Console.out("\nChanges between register versions:")
            for change in changes {
                let fields = change.fields.isEmpty ? "" : " (\(change.fields.joined(separator: ", ")))"
                Console.out("  \(UTCTimestamp.format(change.seenAt))  \(change.kind.rawValue)\(fields)  \(change.toSHA256.prefix(12))")
            }
        }
    }
}
