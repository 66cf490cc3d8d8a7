import ArgumentParser
import BypassAuditor

// Placeholder until the watch capability lands; replaced by its real command.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("watch: not built yet")
    }
}
