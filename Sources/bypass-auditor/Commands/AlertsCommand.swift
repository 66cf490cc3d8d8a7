import ArgumentParser
import BypassAuditor

// Placeholder until the alerts capability lands; replaced by its real command.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alerts", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("alerts: not built yet")
    }
}
