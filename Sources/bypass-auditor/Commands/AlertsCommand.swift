import ArgumentParser
import BypassAuditor
import Foundation

/// `alerts`: lists stored alerts; `alerts ack` records triage.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List stored alerts, or record their triage.",
        subcommands: [List.self, Acknowledge.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List stored alerts, oldest event first (the default).")

        enum Status: String, ExpressibleByArgument, CaseIterable {
            case open, triaged, all
        }

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var tenant: TenantOptions

        @Option(name: .long, help: "Which alerts: open (not triaged), triaged, or all.")
        var status: Status = .all

        @Flag(name: .long, help: "Print as JSON.")
        var json = false

        func run() throws {
            let store = try database.open()
            let all = try store.read { db in
                try AlertStore.alerts(db, tenant: tenant.tenant.map(TenantID.init), from: nil, to: nil)
            }
            let shown = all.filter { alert in
                switch status {
                case .all: true
                case .open: alert.isOpen
                case .triaged: !alert.isOpen
                }
            }
            if json {
                try Console.json(
                    AlertsOutput(
                        alerts: shown.map { AlertListing(alert: $0) }, count: shown.count,
                        open: shown.filter(\.isOpen).count, triaged: shown.filter { !$0.isOpen }.count))
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
            commandName: "ack", abstract: "Record that an alert was triaged: by whom and what was found.")

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
            let alert: Alert
            do {
                alert = try store.write { db in
                    try AlertStore.acknowledge(db, alertID: id, by: by, note: note, at: Date())
                }
            } catch let error as AlertStoreError {
                Console.err("error: \(error)")
                throw ExitStatus.failure
            }
            if json {
                try Console.json(AlertListing(alert: alert))
            } else {
                Console.out(AlertText.describe(alert))
                Console.out("Alert #\(alert.id) triaged by \(AlertText.inert(by)).")
            }
        }
    }
}

/// `alerts --json`.
private struct AlertsOutput: Encodable {
    var alerts: [AlertListing]
    var count: Int
    var open: Int
    var triaged: Int
}
