import ArgumentParser
import BypassAuditor

// Placeholder until the drift capability lands; replaced by its real command.
struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drift", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("drift: not built yet")
    }
}
