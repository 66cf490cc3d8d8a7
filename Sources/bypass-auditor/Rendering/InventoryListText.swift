import BypassAuditor
import Foundation

/// `inventory list` for a person: a headline, the table, then what needs attention.
enum InventoryListText {
    static func render(view: InventoryView, accounts: [InventoryAccount], all: Bool) -> String {
        let bypassed = view.bypassedAccounts.count
        var lines = [
            "Tenant \(view.tenant) as of \(UTCTimestamp.format(view.asOf)): \(bypassed) account"
                + (bypassed == 1 ? "" : "s") + " with mailbox audit bypass enabled (\(view.accounts.count) seen)."
        ]
        if accounts.isEmpty {
            lines.append(
                all
                    ? "No bypass event or snapshot row for this tenant at or before this time."
                    : "No account is exempt from mailbox auditing. `--all` lists accounts seen before.")
        } else {
            var table = TextTable(headers: [
                "ACCOUNT", "BYPASS", "SINCE", "SET BY", "SOURCE", "ATTEMPTS", "LAST EVENT",
            ])
            for account in accounts {
                table.add([
                    account.displayName,
                    account.bypassEnabled ? (account.disputedBy.isEmpty ? "enabled" : "enabled (disputed)") : "off",
                    account.since.map(UTCTimestamp.format) ?? "-", account.setBy ?? "-", account.source.rawValue,
                    String(account.attempts.count), account.lastEventID ?? "-",
                ])
            }
            lines.append("")
            lines.append(table.render())
        }
        lines += InventoryNotes.render(view: view)
        return lines.joined(separator: "\n")
    }
}
