import ArgumentParser
import BypassAuditor

// Placeholder until the allowlist capability lands; replaced by its real command.
struct AllowlistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allowlist", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("allowlist: not built yet")
    }
}
