import ArgumentParser
import BypassAuditor
import Foundation

/// `alerts`: lists stored alerts; `alerts ack` records triage.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List stored alerts, or record their triage.",
        discussion: Examples.alerts,
        subcommands: [List.self, Acknowledge.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List stored alerts, oldest event first (the default).",
            discussion: Examples.alertsList)

        enum Status: String, ExpressibleByArgument, CaseIterable {
            case open, triaged, all
        }

        @OptionGroup var outputOptions: OutputOptions
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var tenant: TenantOptions

        @Option(name: .long, help: "Which alerts: open (not triaged), triaged, or all.")
        var status: Status = .all

        @Flag(name: .long, help: "Print as JSON.")
        var json = false

        func run() throws {
            let store = try database.openReadOnly()
            let all = try AlertStore.alerts(in: store, tenant: tenant.tenant.map(TenantID.init))
            let shown = all.filter { alert in
                switch status {
                case .all: true
                case .open: alert.isOpen
                case .triaged: !alert.isOpen
                }
            }
            if json {
                try Console.json(AlertsDocument(alerts: shown))
                return
            }
            guard !shown.isEmpty else {
                Console.out(all.isEmpty ? "No alerts stored. Run `bypass-auditor detect` after ingesting logs." : "No \(status.rawValue) alerts.")
                return
            }
            for alert in shown { Console.out(AlertText.describe(alert)) }
            let open = shown.filter(\.isOpen).count
            Console.out("\(shown.count) alert\(shown.count == 1 ? "" : "s"): \(open) open, \(shown.count - open) triaged.")
        }
    }

    struct Acknowledge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Record that an alert was triaged: by whom and what was found.",
            discussion: Examples.alertsAck)

        @OptionGroup var outputOptions: OutputOptions
        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The alert id (from `alerts`).")
        var id: Int64

        @Option(name: .long, help: "Who triaged it.")
        var by: String

        @Option(name: .long, help: "What was found or decided.")
        var note: String

        @Flag(name: .long, help: "Print the updated alert as JSON.")
        var json = false

        func validate() throws {
            if by.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--by must name someone") }
            if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--note must say something") }
        }

        func run() throws {
            let store = try database.open()
            let alert = try AlertStore.acknowledge(in: store, alertID: id, by: by, note: note, at: Date())
            if json {
                try Console.json(AlertListing(alert: alert))
            } else {
                Console.out(AlertText.describe(alert))
                Console.out("Alert #\(alert.id) triaged by \(AlertText.inert(by)).")
            }
        }
    }
}
