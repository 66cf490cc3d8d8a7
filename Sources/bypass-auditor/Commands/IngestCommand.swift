import ArgumentParser
import BypassAuditor

// Placeholder until the ingest capability lands; replaced by its real command.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("ingest: not built yet")
    }
}
