import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor inventory`: which accounts are exempt from mailbox auditing at a moment, and each one's history.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List accounts with mailbox audit bypass enabled, or show one account's whole history.",
        discussion: """
            State comes from stored Set-MailboxAuditBypassAssociation events (ordered by event time) and imported \
            snapshots (`snapshot import`): the state at a moment is the latest dated fact at or before it.
            """,
        subcommands: [InventoryListCommand.self, InventoryShowCommand.self],
        defaultSubcommand: InventoryListCommand.self
    )
}

/// `inventory [list]`: the accounts and their state at `--as-of`.
struct InventoryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Accounts with bypass enabled at --as-of (every account ever seen with --all).",
        discussion: """
            --json prints {"as_of", "tenant", "accounts": [{"account", "account_id", "names", "bypass_enabled", \
            "since", "set_by", "since_event_id", "last_event_id", "source", "attempts", "guid", "exchange_name", \
            "disputed_by"}], \
            "ambiguities", "discrepancies", "indeterminate_changes", "snapshots"}.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions
    @OptionGroup var moment: AsOfOption

    @Flag(name: .long, help: "List every account ever seen, bypassed or not.")
    var all = false

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let asOf = try moment.instant()
        let store = try InventoryCLI.openExisting(database)
        let (view, empty) = try store.read { db -> (InventoryView, Bool) in
            let known = try InventoryBuilder.tenants(db)
            let tenant = try InventoryCLI.chooseTenant(tenantOptions.tenant, known: known)
            return (try InventoryBuilder.view(db, tenant: tenant, asOf: asOf), known.isEmpty)
        }
        let accounts = all ? view.accounts : view.bypassedAccounts
        if empty, !json {
            Console.out(
                "No bypass event or snapshot is stored in \(database.db) yet: ingest audit logs or import a snapshot first.")
            return
        }
        if json {
            try Console.json(InventoryListDocument(view: view, accounts: accounts))
        } else {
            Console.out(InventoryListText.render(view: view, accounts: accounts, all: all))
        }
    }
}

/// `inventory show ACCOUNT`: everything known about one account.
struct InventoryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One account's whole history: changes, attempts, snapshots, names and discrepancies.",
        discussion: """
            ACCOUNT is any of the account's names (whole name, case-insensitive), a GUID, or an account id \
            (guid:… / name:…). A name shared by several accounts shows all of them. --json prints {"as_of", \
            "tenant", "query", "accounts": [{"account": {…every InventoryAccount field…}, "discrepancies", \
            "ambiguities"}]}.
            """
    )

    @Argument(help: "A name, GUID or account id.")
    var account: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions
    @OptionGroup var moment: AsOfOption

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let asOf = try moment.instant()
        let store = try InventoryCLI.openExisting(database)
        let view = try store.read { db -> InventoryView in
            let tenant = try InventoryCLI.chooseTenant(tenantOptions.tenant, known: InventoryBuilder.tenants(db))
            return try InventoryBuilder.view(db, tenant: tenant, asOf: asOf)
        }
        let matches = view.accounts(matching: account)
        guard !matches.isEmpty else {
            Console.err(
                "No account named '\(TerminalText.safe(account))' in tenant \(view.tenant) as of "
                    + "\(UTCTimestamp.format(asOf)). `bypass-auditor inventory --all` lists every account seen.")
            throw ExitStatus.failure
        }
        let shown = matches.map { match in
            InventoryShowDocument.Shown(
                account: match, discrepancies: view.discrepancies(for: match.id),
                ambiguities: view.ambiguities(involving: match.id))
        }
        if json {
            try Console.json(InventoryShowDocument(asOf: asOf, tenant: view.tenant, query: account, accounts: shown))
        } else {
            Console.out(InventoryShowText.render(view: view, shown: shown))
        }
    }
}

/// `--as-of DATE|TIME`.
struct AsOfOption: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: "The moment to answer for (UTC): a full timestamp, or a date meaning the end of that day. Default: now.")
    var asOf: String?

    func instant(now: Date = Date()) throws -> Date {
        guard let asOf else { return now }
        guard let instant = UTCTimestamp.parseInstant(asOf) else {
            throw ValidationError("--as-of '\(asOf)' is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DDTHH:MM:SSZ)")
        }
        return instant
    }
}

// MARK: - JSON documents

/// `inventory --json`: the issue's schema plus `account_id`, `guid`, `exchange_name`, `since_event_id` and the
/// view's ambiguities, discrepancies, indeterminate changes and snapshots.
struct InventoryListDocument: Encodable {
    struct Account: Encodable {
        var account: String
        var accountID: String
        var names: [String]
        var bypassEnabled: Bool
        var since: Date?
        var setBy: String?
        var sinceEventID: String?
        var lastEventID: String?
        var source: StateSource
        var attempts: Int
        var guid: String?
        var exchangeName: String
        var disputedBy: [Int64]

        enum CodingKeys: String, CodingKey {
            case account, accountID = "accountId", names, bypassEnabled, since, setBy, sinceEventID = "sinceEventId"
            case lastEventID = "lastEventId", source, attempts, guid, exchangeName, disputedBy
        }

        // Absent values are written as null, so every documented key is always present.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(account, forKey: .account)
            try container.encode(accountID, forKey: .accountID)
            try container.encode(names, forKey: .names)
            try container.encode(bypassEnabled, forKey: .bypassEnabled)
            try container.encode(since, forKey: .since)
            try container.encode(setBy, forKey: .setBy)
            try container.encode(sinceEventID, forKey: .sinceEventID)
            try container.encode(lastEventID, forKey: .lastEventID)
            try container.encode(source, forKey: .source)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(guid, forKey: .guid)
            try container.encode(exchangeName, forKey: .exchangeName)
            try container.encode(disputedBy, forKey: .disputedBy)
        }
    }

    var asOf: Date
    var tenant: TenantID
    var accounts: [Account]
    var ambiguities: [IdentityAmbiguity]
    var discrepancies: [SnapshotDiscrepancy]
    var indeterminateChanges: [BypassChange]
    var snapshots: [SnapshotSummary]

    init(view: InventoryView, accounts: [InventoryAccount]) {
        asOf = view.asOf
        tenant = view.tenant
        self.accounts = accounts.map { account in
            Account(
                account: account.displayName, accountID: account.id.key, names: account.names,
                bypassEnabled: account.bypassEnabled, since: account.since, setBy: account.setBy,
                sinceEventID: account.sinceEventID, lastEventID: account.lastEventID, source: account.source,
                attempts: account.attempts.count, guid: account.guid, exchangeName: account.exchangeName,
                disputedBy: account.disputedBy)
        }
        ambiguities = view.ambiguities
        discrepancies = view.discrepancies
        indeterminateChanges = view.indeterminateChanges
        snapshots = view.snapshots
    }
}

/// `inventory show --json`.
struct InventoryShowDocument: Encodable {
    struct Shown: Encodable {
        var account: InventoryAccount
        var discrepancies: [SnapshotDiscrepancy]
        var ambiguities: [IdentityAmbiguity]
    }

    var asOf: Date
    var tenant: TenantID
    var query: String
    var accounts: [Shown]
}

// MARK: - Human output

enum InventoryListText {
    static func render(view: InventoryView, accounts: [InventoryAccount], all: Bool) -> String {
        let bypassed = view.bypassedAccounts.count
        var lines = [
            "Tenant \(view.tenant) as of \(UTCTimestamp.format(view.asOf)): \(bypassed) account"
                + (bypassed == 1 ? "" : "s") + " with mailbox audit bypass enabled (\(view.accounts.count) seen)."
        ]
        if accounts.isEmpty {
            lines.append(
                all
                    ? "No bypass event or snapshot row for this tenant at or before this time."
                    : "No account is exempt from mailbox auditing. `--all` lists accounts seen before.")
        } else {
            var table = TextTable(headers: [
                "ACCOUNT", "BYPASS", "SINCE", "SET BY", "SOURCE", "ATTEMPTS", "LAST EVENT",
            ])
            for account in accounts {
                table.add([
                    account.displayName,
                    account.bypassEnabled ? (account.disputedBy.isEmpty ? "enabled" : "enabled (disputed)") : "off",
                    account.since.map(UTCTimestamp.format) ?? "-", account.setBy ?? "-", account.source.rawValue,
                    String(account.attempts.count), account.lastEventID ?? "-",
                ])
            }
            lines.append("")
            lines.append(table.render())
        }
        lines += InventoryCLI.notes(view: view)
        return lines.joined(separator: "\n")
    }
}

enum InventoryShowText {
    static func render(view: InventoryView, shown: [InventoryShowDocument.Shown]) -> String {
        var lines: [String] = []
        if shown.count > 1 {
            lines.append(
                "'\(TerminalText.safe(shown[0].account.displayName))' and others: this name belongs to \(shown.count) "
                    + "accounts; each is shown.")
            lines.append("")
        }
        for (index, item) in shown.enumerated() {
            if index > 0 { lines.append("") }
            lines += account(item, view: view)
        }
        return lines.joined(separator: "\n")
    }

    private static func account(_ item: InventoryShowDocument.Shown, view: InventoryView) -> [String] {
        let account = item.account
        var lines = [
            "\(TerminalText.safe(account.displayName)) (\(TerminalText.safe(account.id.key))) · tenant \(view.tenant) "
                + "· as of \(UTCTimestamp.format(view.asOf))"
        ]
        var state = "  Bypass: " + (account.bypassEnabled ? "ENABLED" : "off")
        if let since = account.since { state += " since \(UTCTimestamp.format(since))" }
        if let setBy = account.setBy { state += ", set by \(TerminalText.safe(setBy))" }
        if let event = account.sinceEventID { state += " (event \(TerminalText.safe(event)))" }
        state += "; source: \(account.source.rawValue)"
        if !account.disputedBy.isEmpty {
            state += "; DISPUTED by snapshot " + account.disputedBy.map(String.init).joined(separator: ", ")
                + " (a snapshot never turns a logged bypass off)"
        }
        lines.append(state)
        lines.append("  Exchange name: \(TerminalText.safe(account.exchangeName))" + (account.guid.map { "   GUID: \($0)" } ?? ""))
        lines.append("  Names: " + account.names.map(TerminalText.safe).joined(separator: " · "))
        lines.append("")

        struct Entry {
            var time: Date
            var cells: [String]
        }
        var entries: [Entry] = []
        for change in account.changes + account.attempts {
            entries.append(
                Entry(
                    time: change.time,
                    cells: [
                        UTCTimestamp.format(change.time), change.kind.rawValue, change.actor ?? "-", change.clientIP ?? "-",
                        change.outcome.rawValue + (change.originalStatus.map { " (\($0))" } ?? ""),
                        change.direction.rawValue, "event " + change.eventID, change.identity ?? change.objectID ?? "-",
                    ]))
        }
        for observation in account.snapshotObservations {
            let what = observation.absent
                ? "absent (complete snapshot)"
                : observation.bypassEnabled.map { $0 ? "snapshot: bypassed" : "snapshot: not bypassed" }
                    ?? "snapshot: unreadable"
            let reference = "snapshot \(observation.snapshotID)" + (observation.row.map { " row \($0)" } ?? "")
            entries.append(
                Entry(
                    time: observation.takenAt,
                    cells: [
                        UTCTimestamp.format(observation.takenAt), what, "-", "-", "-",
                        observation.bypassEnabled.map { $0 ? "enabled" : "removed" } ?? "unknown", reference,
                        observation.name ?? "-",
                    ]))
        }
        if entries.isEmpty {
            lines.append("  No change, attempt or snapshot row at or before this time.")
        } else {
            lines.append("History (oldest first):")
            var table = TextTable(headers: [
                "TIME", "WHAT", "ACTOR", "CLIENT IP", "OUTCOME", "DIRECTION", "EVENT / SNAPSHOT", "IDENTITY AS TYPED",
            ])
            for entry in entries.sorted(by: { $0.time < $1.time }) { table.add(entry.cells) }
            lines.append(table.render())
        }
        if !item.discrepancies.isEmpty {
            lines.append("")
            lines.append("Snapshot discrepancies:")
            for discrepancy in item.discrepancies {
                lines.append("  \(discrepancy.kind.rawValue): \(TerminalText.safe(discrepancy.detail))")
            }
        }
        if !item.ambiguities.isEmpty {
            lines.append("")
            lines.append("Ambiguous names:")
            for ambiguity in item.ambiguities {
                lines.append(
                    "  '\(TerminalText.safe(ambiguity.name))': "
                        + ambiguity.accounts.map { TerminalText.safe($0.key) }.joined(separator: ", ")
                        + " — \(TerminalText.safe(ambiguity.detail))")
            }
        }
        return lines
    }
}

// MARK: - Shared by the inventory, snapshot and verify commands

enum InventoryCLI {
    /// Opens the database only when it exists: reading a mistyped path must not create an empty database and
    /// report that nothing is bypassed. With `refreshIndex`, events ingested since the last refresh are projected
    /// once here rather than read from their documents on every view (skipped when the file cannot be written:
    /// the view is the same, only slower).
    static func openExisting(_ options: DatabaseOptions, refreshIndex: Bool = true) throws -> AuditDatabase {
        guard FileManager.default.fileExists(atPath: options.db) else {
            Console.err("No database at \(options.db) (ingest logs or import a snapshot first, or pass --db).")
            throw ExitStatus.failure
        }
        let database = try options.open()
        if refreshIndex { _ = try? database.write { db in try InventoryIndex.refresh(db) } }
        return database
    }

    /// The tenant to work on: `--tenant` when given (it must be known), the only tenant when there is one, else
    /// a refusal that lists them — tenants are never mixed silently.
    static func chooseTenant(_ requested: String?, known: [TenantID]) throws -> TenantID {
        if let requested {
            let wanted = TenantID(requested)
            if let match = known.first(where: { $0 == wanted || $0.description == requested }) { return match }
            Console.err(
                "No bypass events or snapshots for tenant \(TerminalText.safe(requested)). Known tenants: "
                    + (known.isEmpty ? "none" : known.map(\.description).joined(separator: ", ")))
            throw ExitStatus.failure
        }
        switch known.count {
        case 0: return .unknown
        case 1: return known[0]
        default:
            Console.err(
                "The database holds \(known.count) tenants; choose one with --tenant:\n"
                    + known.map { "  \($0)" }.joined(separator: "\n"))
            throw ExitStatus.failure
        }
    }

    /// What a person should know besides the table: discrepancies, ambiguities, unattributable records.
    static func notes(view: InventoryView) -> [String] {
        var lines: [String] = []
        let discrepancies = view.discrepancies
        if !discrepancies.isEmpty {
            lines.append("")
            lines.append("Snapshots against the logs (\(discrepancies.count)):")
            for discrepancy in discrepancies {
                lines.append("  \(discrepancy.kind.rawValue): \(TerminalText.safe(discrepancy.detail))")
            }
        }
        if !view.ambiguities.isEmpty {
            lines.append("")
            lines.append("Ambiguous names (\(view.ambiguities.count)):")
            for ambiguity in view.ambiguities {
                lines.append(
                    "  '\(TerminalText.safe(ambiguity.name))': "
                        + ambiguity.accounts.map { TerminalText.safe($0.key) }.joined(separator: ", "))
            }
        }
        if !view.indeterminateChanges.isEmpty {
            lines.append("")
            lines.append(
                "Bypass records whose target or direction cannot be read (\(view.indeterminateChanges.count)):")
            for change in view.indeterminateChanges {
                lines.append(
                    "  event \(TerminalText.safe(change.eventID)) at \(UTCTimestamp.format(change.time))"
                        + (change.actor.map { " by \(TerminalText.safe($0))" } ?? "")
                        + " (identity: \(TerminalText.safe(change.identity ?? "-")), "
                        + "AuditBypassEnabled: \(change.direction.rawValue), outcome: \(change.outcome.rawValue))")
            }
        }
        return lines
    }
}

/// Text from logs and exports made safe for a terminal: control and bidirectional-format characters (an ANSI
/// escape, a right-to-left override written by an attacker) are shown as `\u{…}` instead of acting.
enum TerminalText {
    static func safe(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Columns aligned with spaces, headers first; every cell made terminal-safe.
struct TextTable {
    let headers: [String]
    private var rows: [[String]] = []

    init(headers: [String]) {
        self.headers = headers
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells.map(TerminalText.safe))
    }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
