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
    var takenAt: String?

    @Flag(name: .long, help: "The export lists every account that has a bypass: absence means not bypassed.")
    var complete = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let now = Date()
        let taken = try takenAtInstant(now: now)
        guard FileManager.default.fileExists(atPath: file) else {
            Console.err("\(file): no such file")
            throw ExitStatus.failure
        }
        let store = try database.open()
        let result: SnapshotImporter.Result
        do {
            result = try SnapshotImporter.importFile(
                at: file, into: store,
                options: SnapshotImporter.Options(
                    takenAt: taken, tenant: tenantOptions.tenant.map(TenantID.init), complete: complete, now: now))
        } catch let error as SnapshotFileError {
            Console.err(TerminalText.safe(error.description))
            throw ExitStatus.failure
        } catch let error as SnapshotImporter.ImportError {
            Console.err(TerminalText.safe(error.description))
            throw ExitStatus.failure
        }
        if json {
            try Console.json(result)
        } else {
            Console.out(SnapshotImportText.render(result))
            for problem in result.skipped { Console.err(TerminalText.safe(problem.description)) }
        }
        if !result.skipped.isEmpty { throw ExitStatus.inputSkipped }
    }

    /// `--taken-at`; a bare date of today means "today, now" rather than the end of a day that has not ended.
    private func takenAtInstant(now: Date) throws -> Date? {
        guard let takenAt else { return nil }
        guard let instant = UTCTimestamp.parseInstant(takenAt) else {
            throw ValidationError("--taken-at '\(takenAt)' is not a date (YYYY-MM-DD) or a timestamp")
        }
        if let day = UTCDay(takenAt), day.start <= now, instant > now { return now }
        return instant
    }
}

/// `snapshot list`.
struct SnapshotListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The snapshots imported for a tenant, oldest first.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let store = try InventoryCLI.openExisting(database)
        let (tenant, snapshots) = try store.read { db -> (TenantID, [SnapshotSummary]) in
            let tenant = try InventoryCLI.chooseTenant(tenantOptions.tenant, known: InventoryBuilder.tenants(db))
            return (tenant, try SnapshotStore.snapshots(db, tenant: tenant).map(\.summary))
        }
        if json {
            struct Document: Encodable {
                var tenant: TenantID
                var snapshots: [SnapshotSummary]
            }
            try Console.json(Document(tenant: tenant, snapshots: snapshots))
            return
        }
        guard !snapshots.isEmpty else {
            Console.out("No snapshot imported for tenant \(TerminalText.safe(tenant.description)).")
            return
        }
        var table = TextTable(headers: [
            "ID", "TAKEN AT", "ROWS", "BYPASSED", "NOT", "UNREADABLE", "COMPLETE", "FORMAT", "FILE",
        ])
        for snapshot in snapshots {
            table.add([
                String(snapshot.id),
                UTCTimestamp.format(snapshot.takenAt) + (snapshot.takenAtGiven ? "" : " (import time)"),
                String(snapshot.rows), String(snapshot.bypassedRows), String(snapshot.notBypassedRows),
                String(snapshot.indeterminateRows),
                snapshot.complete ? (snapshot.completeGiven ? "yes (--complete)" : "yes") : "possibly filtered",
                snapshot.format, snapshot.fileName,
            ])
        }
        Console.out("Snapshots of tenant \(TerminalText.safe(tenant.description)):\n\n" + table.render())
    }
}

enum SnapshotImportText {
    static func render(_ result: SnapshotImporter.Result) -> String {
        let snapshot = result.snapshot
        let file = TerminalText.safe(snapshot.fileName)
        if result.alreadyImported {
            return "\(file) holds the same content as snapshot \(snapshot.id) (imported \(UTCTimestamp.format(snapshot.importedAt)), "
                + "taken at \(UTCTimestamp.format(snapshot.takenAt))); nothing stored."
        }
        var lines = [
            "Imported snapshot \(snapshot.id) from \(file) (\(snapshot.format), \(snapshot.rows) row"
                + (snapshot.rows == 1 ? "" : "s") + ": \(snapshot.bypassedRows) bypassed, "
                + "\(snapshot.notBypassedRows) not bypassed, \(snapshot.indeterminateRows) unreadable)."
        ]
        let tenantSource: String
        switch result.tenantSource {
        case .given?: tenantSource = "given with --tenant"
        case .rows?: tenantSource = "from the rows' OrganizationId"
        case .onlyTenantInDatabase?: tenantSource = "the rows do not say; the only tenant in the database"
        case nil: tenantSource = "-"
        }
        lines.append("  Tenant:   \(TerminalText.safe(snapshot.tenant.description)) (\(tenantSource))")
        lines.append(
            "  Taken at: \(UTCTimestamp.format(snapshot.takenAt)) "
                + (snapshot.takenAtGiven ? "(given with --taken-at)" : "(the import time: no --taken-at given)"))
        if snapshot.complete {
            lines.append(
                "  Complete: yes, "
                    + (snapshot.completeGiven
                        ? "--complete: accounts absent from it are taken as not bypassed"
                        : "it lists accounts that are not bypassed: absence means not bypassed"))
        } else if !result.skipped.isEmpty {
            lines.append(
                "  Complete: no, \(result.skipped.count) row\(result.skipped.count == 1 ? "" : "s") could not be read: "
                    + "accounts absent from it are not taken as unbypassed")
        } else {
            lines.append(
                "  Complete: possibly filtered (no row with AuditBypassEnabled False): accounts absent from it are "
                    + "not taken as unbypassed; pass --complete if it lists every bypassed account")
        }
        if !result.indeterminate.isEmpty {
            lines.append("")
            lines.append("Rows kept with an unknown state (\(result.indeterminate.count)):")
            lines += result.indeterminate.map { "  " + TerminalText.safe($0.description) }
        }
        if !result.skipped.isEmpty {
            lines.append("")
            lines.append("Rows skipped (\(result.skipped.count)), see stderr.")
        }
        lines.append("")
        if result.discrepancies.isEmpty {
            lines.append("Reconciled with the logs at its taking time: no unexplained bypass, no mismatch.")
        } else {
            lines.append("Reconciled with the logs at its taking time (\(result.discrepancies.count)):")
            lines += result.discrepancies.map { "  \($0.kind.rawValue): \(TerminalText.safe($0.detail))" }
        }
        return lines.joined(separator: "\n")
    }
}
