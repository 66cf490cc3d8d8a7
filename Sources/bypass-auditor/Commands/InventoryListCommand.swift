import ArgumentParser
import BypassAuditor
import Foundation

/// `inventory [list]`: the accounts and their state at `--as-of`.
struct InventoryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Accounts with bypass enabled at --as-of (every account ever seen with --all).",
        discussion: Examples.after(
            """
            --json prints {"as_of", "tenant", "accounts": [{"account", "account_id", "names", "bypass_enabled", \
            "since", "set_by", "since_event_id", "last_event_id", "source", "attempts", "guid", "exchange_name"}], \
            "ambiguities", "discrepancies", "indeterminate_changes", "snapshots", "tenant_notes"}.
            """, Examples.inventoryList)
    )

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions
    @OptionGroup var moment: AsOfOptions

    @Flag(name: .long, help: "List every account ever seen, bypassed or not.")
    var all = false

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let store = try database.openReadOnly()
        let answer = try InventoryQuery.view(store, tenant: tenantOptions.tenant, asOf: moment.resolve())
        let accounts = all ? answer.view.accounts : answer.view.bypassedAccounts
        Console.tenantNotes(answer.tenantChoice.notes)
        if json {
            try Console.json(
                InventoryListDocument(view: answer.view, accounts: accounts, tenantNotes: answer.tenantChoice.notes))
        } else if !answer.databaseHasBypassData {
            Console.out(
                "No bypass event or snapshot is stored in \(store.path) yet: ingest audit logs or import a snapshot first.")
        } else {
            Console.out(InventoryListText.render(view: answer.view, accounts: accounts, all: all))
        }
    }
}
