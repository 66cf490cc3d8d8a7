import BypassAuditor
import Foundation

/// `snapshot import` for a person: what was stored, how the tenant, time and completeness were decided, and the
/// reconciliation with the logs.
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
        lines.append("  Tenant:   \(snapshot.tenant) (\(tenantSource))")
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
