import ArgumentParser
import BypassAuditor

// Placeholder until the snapshot capability lands; replaced by its real command.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("snapshot: not built yet")
    }
}
