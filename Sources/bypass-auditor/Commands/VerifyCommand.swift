import ArgumentParser
import BypassAuditor

// Placeholder until the verify capability lands; replaced by its real command.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("verify: not built yet")
    }
}
