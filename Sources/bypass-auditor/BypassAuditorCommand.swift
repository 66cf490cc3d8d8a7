import ArgumentParser
import BypassAuditor

@main
struct BypassAuditorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bypass-auditor",
        abstract: "Find, inventory and report Exchange Online mailbox audit bypass associations.",
        discussion: """
            Pipeline: ingest audit logs → detect bypass events → inventory accounts → compare with the allowlist \
            (drift) → report. Exit codes: 0 ok; 1 error; 2 input read with records skipped; 3 findings at or above \
            --fail-on; 4 integrity check failed; 64 usage error.
            """,
        version: BypassAuditorVersion.current,
        subcommands: [
            IngestCommand.self,
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
}
