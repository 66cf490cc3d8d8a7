import ArgumentParser
import BypassAuditor

// Placeholder until the inventory capability lands; replaced by its real command.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inventory", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("inventory: not built yet")
    }
}
