import ArgumentParser
import BypassAuditor
import Foundation

@main
struct BypassAuditorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bypass-auditor",
        abstract: "Find, inventory and report Exchange Online mailbox audit bypass associations.",
        discussion: Examples.after(
            """
            Pipeline: ingest audit logs → detect bypass events → inventory accounts → compare with the allowlist \
            (drift) → report. Exit codes: 0 ok; 1 error; 2 input read with records skipped; 3 findings at or above \
            --fail-on; 4 integrity check failed; 5 an input file shrank while being read; 64 usage error.
            """, Examples.root),
        version: BypassAuditorVersion.current,
        subcommands: [
            InitCommand.self,
            IngestCommand.self,
            CollectCommand.self,
            DetectCommand.self,
            AlertsCommand.self,
            WatchCommand.self,
            SnapshotCommand.self,
            InventoryCommand.self,
            VerifyCommand.self,
            AllowlistCommand.self,
            DriftCommand.self,
            ReportCommand.self,
            RulesCommand.self,
        ]
    )

    /// Parses, runs, and reports a failure the one way every command does: `error: what happened and what to do`
    /// on stderr, exit 1. Usage mistakes are argument-parser's to report (naming the command and option, exit 64).
    static func main() async {
        AllocatorTuning.limitArenas()
        if let unknown = UnknownCommand.find(in: Array(CommandLine.arguments.dropFirst()), root: self) {
            Console.err("error: \(unknown)")
            exit(withError: ExitCode(64))
        }
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let error as ValidationError {
            exit(withError: error)
        } catch {
            // `help SUBCOMMAND` and the parser's other outcomes are reported its way.
            let fromParser = String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
            if fromParser { exit(withError: error) }
            CommandFailure.report(error, in: type(of: command))
            exit(withError: ExitStatus.failure)
        }
    }
}
