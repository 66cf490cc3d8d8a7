import BypassAuditor
import Foundation

/// What a person should know besides an inventory table: discrepancies, ambiguities, unattributable records.
enum InventoryNotes {
    /// What a person should know besides the table: discrepancies, ambiguities, unattributable records.
    static func render(view: InventoryView) -> [String] {
        var lines: [String] = []
        let discrepancies = view.discrepancies
        if !discrepancies.isEmpty {
            lines.append("")
            lines.append("Snapshots against the logs (\(discrepancies.count)):")
            for discrepancy in discrepancies {
                lines.append("  \(discrepancy.kind.rawValue): \(TerminalText.safe(discrepancy.detail))")
            }
        }
        if !view.ambiguities.isEmpty {
            lines.append("")
            lines.append("Ambiguous names (\(view.ambiguities.count)):")
            for ambiguity in view.ambiguities {
                lines.append(
                    "  '\(TerminalText.safe(ambiguity.name))': "
                        + ambiguity.accounts.map { TerminalText.safe($0.key) }.joined(separator: ", "))
            }
        }
        if !view.indeterminateChanges.isEmpty {
            lines.append("")
            lines.append(
                "Bypass records whose target or direction cannot be read (\(view.indeterminateChanges.count)):")
            for change in view.indeterminateChanges {
                lines.append(
                    "  event \(TerminalText.safe(change.eventID)) at \(UTCTimestamp.format(change.time))"
                        + (change.actor.map { " by \(TerminalText.safe($0))" } ?? "")
                        + " (identity: \(TerminalText.safe(change.identity ?? "-")), "
                        + "AuditBypassEnabled: \(change.direction.rawValue), outcome: \(change.outcome.rawValue))")
            }
        }
        return lines
    }
}
