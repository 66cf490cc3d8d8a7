import Foundation
import Testing

/// Issue 15: `--quiet` on every command: only results, warnings and errors.
@Suite("--quiet")
struct QuietOutputTests {
    @Test("every command that runs takes --quiet (and -q)")
    func everyCommand() throws {
        for command in try HelpExamplesAndCompletionTests.allCommands() where !command.isEmpty {
            let help = try CLI.run(command + ["--help"])
            // A group only lists its subcommands; each of those takes the option.
            guard !help.stdout.contains("SUBCOMMANDS:") else { continue }
            #expect(help.stdout.contains("-q, --quiet"), "`\(command.joined(separator: " ")) --help` has no --quiet")
        }
    }

    @Test("ingest and inventory: the notes about paths and rules go, the result and warnings stay")
    func notesGo() throws {
        let directory = try TemporaryDirectory()
        let logs = try directory.write("logs.ndjson", AuditRecordLines.bypass(id: "b-1", identity: "j.doe") + "\n")
        let db = directory.path("audit.sqlite")
        let loud = try CLI.run(["ingest", "--db", db, logs])
        #expect(loud.stderr.contains("db: ") && loud.stderr.contains("rules: built in"), "\(loud.stderr)")
        #expect(loud.stderr.contains("warning: creating a new database"))

        let second = directory.path("second.sqlite")
        let quiet = try CLI.run(["ingest", "--quiet", "--db", second, logs])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("db: ") && !quiet.stderr.contains("rules: "), "\(quiet.stderr)")
        #expect(quiet.stderr.contains("warning: creating a new database"), "warnings are not notes")
        #expect(quiet.stdout == loud.stdout, "the result is the same")

        let inventory = try CLI.run(["inventory", "-q", "--db", db, "--as-of", "2026-11-01"])
        #expect(inventory.status == 0, "\(inventory.stderr)")
        #expect(inventory.stdout.contains("j.doe"))
        #expect(!inventory.stderr.contains("db: "), "\(inventory.stderr)")
    }
}
