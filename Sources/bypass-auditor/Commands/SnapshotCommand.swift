import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor snapshot`: import and list `Get-MailboxAuditBypassAssociation` exports.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Import Get-MailboxAuditBypassAssociation exports as dated snapshots, and list them.",
        subcommands: [SnapshotImportCommand.self, SnapshotListCommand.self]
    )
}

/// `snapshot import FILE`.
struct SnapshotImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import one export (Export-Csv or ConvertTo-Json) and reconcile it with the logs.",
        discussion: """
            Export with e.g. `Get-MailboxAuditBypassAssociation -ResultSize Unlimited | Export-Csv bypass.csv` or \
            `… | ConvertTo-Json -Depth 3 > bypass.json`. A full export (rows with False) says that accounts absent \
            from it are not bypassed; an export with no False row may be filtered (`| Where AuditBypassEnabled`), \
            so absence proves nothing unless --complete says it lists every bypassed account. Importing the same \
            file again stores nothing. Exit status 2 when rows were skipped.
            """
    )

    @Argument(help: "The exported file.")
    var file: String

    @Option(
        name: .customLong("taken-at"),
        help: "When the export was taken (UTC; a date means the end of that day). Default: the import time.")
    var takenAt: Moment?

    @Flag(name: .long, help: "The export lists every account that has a bypass: absence means not bypassed.")
    var complete = false

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
                takenAt: taken, tenant: tenantOptions.tenant.map(TenantID.init), complete: complete, now: now))
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
