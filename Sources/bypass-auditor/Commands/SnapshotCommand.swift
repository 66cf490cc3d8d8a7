import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor snapshot`: import and list `Get-MailboxAuditBypassAssociation` exports.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Import Get-MailboxAuditBypassAssociation exports as dated snapshots, and list them.",
        subcommands: [SnapshotImportCommand.self, SnapshotListCommand.self, SnapshotScriptCommand.self]
    )
}

/// `snapshot import FILE`.
struct SnapshotImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import one export (Export-Csv or ConvertTo-Json) and reconcile it with the logs.",
        discussion: """
            Export with the PowerShell `bypass-auditor snapshot script` prints (Export-Csv) or `… | ConvertTo-Json \
            -Depth 3 > bypass.json`. Its file name (bypass-associations_<tenant>_<yyyyMMddTHHmmssZ>.csv) gives the \
            tenant and the time; otherwise pass --tenant and --taken-at (without a time the import time stands in, \
            and the import says so). --complete asserts the export was run with -ResultSize Unlimited and no filter; \
            nothing else makes it complete. An export of exactly 1,000 rows is probably cut off and is not accepted \
            as complete without --complete-despite-1000-rows. Absence from a snapshot never turns a logged bypass \
            off: a contradiction leaves the account bypassed and disputed. Duplicate rows are reported. Importing \
            the same file again stores nothing. Exit status 2 when rows were skipped.
            """
    )

    @Argument(help: "The exported file.")
    var file: String

    @Option(
        name: .customLong("taken-at"),
        help: "When the export was taken (UTC; a date means the end of that day). Default: the import time.")
    var takenAt: String?

    @Flag(
        name: .long,
        help: "Assert the export was run with -ResultSize Unlimited and no filter, so it lists every account with a bypass.")
    var complete = false

    @Flag(
        name: .customLong("complete-despite-1000-rows"),
        help: "With --complete: accept an export of exactly 1,000 rows (the cmdlet's default limit) as complete.")
    var completeDespiteLimit = false

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
                    takenAt: taken, tenant: tenantOptions.tenant.map(TenantID.init), complete: complete,
                    completeDespiteResultSizeLimit: completeDespiteLimit, now: now))
        } catch let error as SnapshotFileError {
            Console.err(TerminalText.safe(error.description))
            throw ExitStatus.failure
        } catch let error as SnapshotImporter.ImportError {
            Console.err(TerminalText.safe(error.description))
            throw ExitStatus.failure
        }
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
            Console.out("No snapshot imported for tenant \(tenant).")
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
                snapshot.complete ? "yes (--complete)" : "not asserted",
                snapshot.format, snapshot.fileName,
            ])
        }
        Console.out("Snapshots of tenant \(tenant):\n\n" + table.render())
    }
}

/// `snapshot script`.
struct SnapshotScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "script",
        abstract: "Print the PowerShell that writes a complete export (-ResultSize Unlimited, UTC time and tenant in the name).")

    func run() throws {
        FileHandle.standardOutput.write(Data(SnapshotExportScript.text.utf8))
    }
}

enum SnapshotImportText {
    /// What the operator must not miss, on stderr whatever the output format.
    static func warnings(_ result: SnapshotImporter.Result) -> [String] {
        guard !result.alreadyImported else { return [] }
        var warnings: [String] = []
        if result.takenAtSource == .importTime {
            warnings.append(
                "no --taken-at and no time in the file name: snapshot \(result.snapshot.id) is dated with the IMPORT "
                    + "time \(UTCTimestamp.format(result.snapshot.takenAt)). If it was taken earlier, it is compared with "
                    + "the wrong logs: remove it and import again with --taken-at.")
        }
        if result.probablyTruncated {
            warnings.append(
                "the export has exactly \(SnapshotImporter.resultSizeLimit) rows: probably cut off by "
                    + "Get-MailboxAuditBypassAssociation's default -ResultSize; re-export with `bypass-auditor snapshot script`.")
        }
        for duplicate in result.duplicates { warnings.append(duplicate.description) }
        return warnings
    }

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
        case .fileName?: tenantSource = "from the file name"
        case nil: tenantSource = "-"
        }
        lines.append("  Tenant:   \(snapshot.tenant) (\(tenantSource))")
        let takenAtSource: String
        switch result.takenAtSource {
        case .given?: takenAtSource = "given with --taken-at"
        case .fileName?: takenAtSource = "from the file name"
        case .importTime?, nil: takenAtSource = "THE IMPORT TIME: no --taken-at given and none in the file name"
        }
        lines.append("  Taken at: \(UTCTimestamp.format(snapshot.takenAt)) (\(takenAtSource))")
        if snapshot.complete {
            lines.append(
                "  Complete: yes (--complete: you assert it was exported with -ResultSize Unlimited and no filter); "
                    + "an account it leaves out that the logs show bypassed stays bypassed, disputed")
        } else if result.probablyTruncated && snapshot.completeGiven {
            lines.append("  Complete: no (exactly \(SnapshotImporter.resultSizeLimit) rows: probably cut off)")
        } else if !result.skipped.isEmpty {
            lines.append(
                "  Complete: no, \(result.skipped.count) row\(result.skipped.count == 1 ? "" : "s") could not be read: "
                    + "accounts absent from it are not taken as unbypassed")
        } else {
            lines.append(
                "  Complete: not asserted: absence from it says nothing; pass --complete if it was exported with "
                    + "-ResultSize Unlimited and no filter" + (result.probablyTruncated ? " (it has exactly "
                    + "\(SnapshotImporter.resultSizeLimit) rows: probably cut off)" : ""))
        }
        if !result.indeterminate.isEmpty {
            lines.append("")
            lines.append("Rows kept with an unknown state (\(result.indeterminate.count)):")
            lines += result.indeterminate.map { "  " + TerminalText.safe($0.description) }
        }
        if !result.duplicates.isEmpty {
            lines.append("")
            lines.append("Duplicate rows (\(result.duplicates.count)):")
            lines += result.duplicates.map { "  " + TerminalText.safe($0.description) }
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
