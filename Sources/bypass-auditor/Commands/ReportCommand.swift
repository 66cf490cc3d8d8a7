import ArgumentParser
import BypassAuditor

// Placeholder until the report capability lands; replaced by its real command.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "(being built)")

    func run() throws {
        throw CleanExit.message("report: not built yet")
    }
}
