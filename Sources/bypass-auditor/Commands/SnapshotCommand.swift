import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor snapshot`: import and list `Get-MailboxAuditBypassAssociation` exports.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Import Get-MailboxAuditBypassAssociation exports as dated snapshots, list, remove or re-date them.",
        discussion: Examples.snapshot,
        subcommands: [
            SnapshotImportCommand.self, SnapshotListCommand.self, SnapshotScriptCommand.self,
            SnapshotRemoveCommand.self, SnapshotRedateCommand.self,
        ]
    )
}

/// `snapshot import FILE`.
struct SnapshotImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import one export (Export-Csv or ConvertTo-Json) and reconcile it with the logs.",
        discussion: Examples.after(
            """
            Export with the PowerShell `bypass-auditor snapshot script` prints (Export-Csv) or `… | ConvertTo-Json \
            -Depth 3 > bypass.json`. Its file name (bypass-associations_<tenant>_<yyyyMMddTHHmmssZ>.csv) gives the \
            tenant and the time; otherwise pass --tenant and --taken-at (without a time the import time stands in, \
            and the import says so). --complete asserts the export was run with -ResultSize Unlimited and no filter; \
            nothing else makes it complete. An export of exactly 1,000 rows is probably cut off and is not accepted \
            as complete without --complete-despite-1000-rows. Absence from a snapshot never turns a logged bypass \
            off: a contradiction leaves the account bypassed and disputed. Duplicate rows are reported. Importing \
            the same file again stores nothing. Exit status 2 when rows were skipped.
            """, Examples.snapshotImport)
    )

    @OptionGroup var outputOptions: OutputOptions
    @Argument(help: "The exported file.", completion: .file(extensions: ["csv", "json"]))
    var file: String

    @Option(
        name: .customLong("taken-at"),
        help: "When the export was taken (UTC; a date means the end of that day). Default: the import time.")
    var takenAt: Moment?

    @Flag(
        name: .long,
        help: "Assert the export was run with -ResultSize Unlimited and no filter, so it lists every account with a bypass.")
    var complete = false

    @Flag(
        name: .customLong("complete-despite-1000-rows"),
        help: "With --complete: accept an export of exactly 1,000 rows (the cmdlet's default limit) as complete.")
    var completeDespiteLimit = false

    @OptionGroup var database: CreatingDatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let now = Date()
        let taken = takenAtInstant(now: now)
        guard FileManager.default.fileExists(atPath: file) else {
            Console.err("error: \(TerminalText.safe(file)): no such file (export one with Get-MailboxAuditBypassAssociation, see --help)")
            throw ExitStatus.failure
        }
        let store = try database.open()
        let result = try SnapshotImporter.importFile(
            at: file, into: store,
            options: SnapshotImporter.Options(
                takenAt: taken, tenant: tenantOptions.tenant.map(TenantID.init), complete: complete,
                completeDespiteResultSizeLimit: completeDespiteLimit, now: now))
        for warning in SnapshotImportText.warnings(result) { Console.err("WARNING: " + TerminalText.safe(warning)) }
        if json {
            try Console.json(result)
        } else {
            Console.out(SnapshotImportText.render(result))
            for problem in result.skipped { Console.err(TerminalText.safe(problem.description)) }
        }
        if !result.skipped.isEmpty { throw ExitStatus.inputSkipped }
    }

    /// `--taken-at`; a bare date of today means "today, now" rather than the end of a day that has not ended.
    private func takenAtInstant(now: Date) -> Date? {
        guard let takenAt else { return nil }
        if let day = takenAt.day, day.start <= now, takenAt.date > now { return now }
        return takenAt.date
    }
}
