import ArgumentParser

/// `bypass-auditor inventory`: which accounts are exempt from mailbox auditing at a moment, and each one's history.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List accounts with mailbox audit bypass enabled, or show one account's whole history.",
        discussion: Examples.after(
            """
            State comes from stored Set-MailboxAuditBypassAssociation events (ordered by event time) and imported \
            snapshots (`snapshot import`): the state at a moment is the latest dated fact at or before it.
            """, Examples.inventory),
        subcommands: [InventoryListCommand.self, InventoryShowCommand.self],
        defaultSubcommand: InventoryListCommand.self
    )
}
