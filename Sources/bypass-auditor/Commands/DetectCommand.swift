import ArgumentParser
import BypassAuditor

// Placeholder until the detect capability lands; replaced by its real command.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "detect", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("detect: not built yet")
    }
}
