import BypassAuditor
import Foundation

/// `inventory show` for a person: each matched account, its history oldest first, and its problems.
enum InventoryShowText {
    static func render(view: InventoryView, shown: [InventoryShowDocument.Shown]) -> String {
        var lines: [String] = []
        if shown.count > 1 {
            lines.append(
                "'\(TerminalText.safe(shown[0].account.displayName))' and others: this name belongs to \(shown.count) "
                    + "accounts; each is shown.")
            lines.append("")
        }
        for (index, item) in shown.enumerated() {
            if index > 0 { lines.append("") }
            lines += account(item, view: view)
        }
        return lines.joined(separator: "\n")
    }

    private static func account(_ item: InventoryShowDocument.Shown, view: InventoryView) -> [String] {
        let account = item.account
        var lines = [
            "\(TerminalText.safe(account.displayName)) (\(TerminalText.safe(account.id.key))) · tenant \(view.tenant) "
                + "· as of \(UTCTimestamp.format(view.asOf))"
        ]
        var state = "  Bypass: " + (account.bypassEnabled ? "ENABLED" : "off")
        if let since = account.since { state += " since \(UTCTimestamp.format(since))" }
        if let setBy = account.setBy { state += ", set by \(TerminalText.safe(setBy))" }
        if let event = account.sinceEventID { state += " (event \(TerminalText.safe(event)))" }
        state += "; source: \(account.source.rawValue)"
        if !account.disputedBy.isEmpty {
            state += "; DISPUTED by snapshot " + account.disputedBy.map(String.init).joined(separator: ", ")
        }
        lines.append(state)
        lines.append("  Exchange name: \(TerminalText.safe(account.exchangeName))" + (account.guid.map { "   GUID: \($0)" } ?? ""))
        lines.append("  Names: " + account.names.map { TerminalText.safe($0) }.joined(separator: " · "))
        lines.append("")

        struct Entry {
            var time: Date
            var cells: [String]
        }
        var entries: [Entry] = []
        for change in account.changes + account.attempts {
            entries.append(
                Entry(
                    time: change.time,
                    cells: [
                        UTCTimestamp.format(change.time), change.kind.rawValue, change.actor ?? "-", change.clientIP ?? "-",
                        change.outcome.rawValue + (change.originalStatus.map { " (\($0))" } ?? ""),
                        change.direction.rawValue, "event " + change.eventID, change.identity ?? change.objectID ?? "-",
                    ]))
        }
        for observation in account.snapshotObservations {
            let what = observation.absent
                ? "absent (complete snapshot)"
                : observation.bypassEnabled.map { $0 ? "snapshot: bypassed" : "snapshot: not bypassed" }
                    ?? "snapshot: unreadable"
            let reference = "snapshot \(observation.snapshotID)" + (observation.row.map { " row \($0)" } ?? "")
            entries.append(
                Entry(
                    time: observation.takenAt,
                    cells: [
                        UTCTimestamp.format(observation.takenAt), what, "-", "-", "-",
                        observation.bypassEnabled.map { $0 ? "enabled" : "removed" } ?? "unknown", reference,
                        observation.name ?? "-",
                    ]))
        }
        if entries.isEmpty {
            lines.append("  No change, attempt or snapshot row at or before this time.")
        } else {
            lines.append("History (oldest first):")
            var table = TextTable(headers: [
                "TIME", "WHAT", "ACTOR", "CLIENT IP", "OUTCOME", "DIRECTION", "EVENT / SNAPSHOT", "IDENTITY AS TYPED",
            ])
            for entry in entries.sorted(by: { $0.time < $1.time }) { table.add(entry.cells) }
            lines.append(table.render())
        }
        if !item.discrepancies.isEmpty {
            lines.append("")
            lines.append("Snapshot discrepancies:")
            for discrepancy in item.discrepancies {
                lines.append("  \(discrepancy.kind.rawValue): \(TerminalText.safe(discrepancy.detail))")
            }
        }
        if !item.ambiguities.isEmpty {
            lines.append("")
            lines.append("Ambiguous names:")
            for ambiguity in item.ambiguities {
                lines.append(
                    "  '\(TerminalText.safe(ambiguity.name))': "
                        + ambiguity.accounts.map { TerminalText.safe($0.key) }.joined(separator: ", ")
                        + " — \(TerminalText.safe(ambiguity.detail))")
            }
        }
        return lines
    }
}
