import BypassAuditor
import Foundation

/// `snapshot import` for a person: what was stored, how the tenant, time and completeness were decided, the
/// warnings an operator must not miss, and the reconciliation with the logs.
enum SnapshotImportText {
    /// What the operator must not miss, on stderr whatever the output format.
    static func warnings(_ result: SnapshotImporter.Result) -> [String] {
        guard !result.alreadyImported else { return [] }
        var warnings: [String] = []
        if result.takenAtSource == .importTime {
            warnings.append(
                "no --taken-at and no time in the file name: snapshot \(result.snapshot.id) is dated with the IMPORT "
                    + "time \(UTCTimestamp.format(result.snapshot.takenAt)). If it was taken earlier, it is compared with "
                    + "the wrong logs: give it its time with `bypass-auditor snapshot redate \(result.snapshot.id) --taken-at T "
                    + "--reason TEXT`.")
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
