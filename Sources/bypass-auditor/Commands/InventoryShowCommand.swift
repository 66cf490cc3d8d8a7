import ArgumentParser
import BypassAuditor
import Foundation

/// `inventory show ACCOUNT`: everything known about one account.
struct InventoryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One account's whole history: changes, attempts, snapshots, names and discrepancies.",
        discussion: Examples.after(
            """
            ACCOUNT is any of the account's names (whole name, case-insensitive), a GUID, or an account id \
            (guid:… / name:…). A name shared by several accounts shows all of them. --json prints {"as_of", \
            "tenant", "query", "accounts": [{"account": {…every InventoryAccount field…}, "discrepancies", \
            "ambiguities"}]}.
            """, Examples.inventoryShow)
    )

    @OptionGroup var outputOptions: OutputOptions
    @Argument(help: "A name, GUID or account id.")
    var account: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions
    @OptionGroup var moment: AsOfOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let answer = try InventoryQuery.view(database.openReadOnly(), tenant: tenantOptions.tenant, asOf: moment.resolve())
        Console.tenantNotes(answer.tenantChoice.notes)
        let view = answer.view
        let document = InventoryShowDocument(view: view, query: account)
        guard !document.accounts.isEmpty else {
            Console.err(
                "error: no account named '\(TerminalText.safe(account))' in tenant \(view.tenant) as of "
                    + "\(UTCTimestamp.format(view.asOf)). `bypass-auditor inventory --all` lists every account seen.")
            throw ExitStatus.failure
        }
        if json {
            try Console.json(document)
        } else {
            Console.out(InventoryShowText.render(view: view, shown: document.accounts))
        }
    }
}
