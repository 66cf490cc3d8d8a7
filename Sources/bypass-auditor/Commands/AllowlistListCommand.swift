import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist list`: every entry with its dates and how it stands today.
struct AllowlistListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the register's entries with their approval, review and expiry dates.")

    @OptionGroup var file: AllowlistFileOptions

    @Option(name: .long, help: "Judge expiry and review on this day (YYYY-MM-DD, UTC; default today).")
    var asOf: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let day = try AllowlistArguments.asOfDay(asOf)
        let (allowlist, result) = try file.loadValid()
        let listing = AllowlistListing(allowlist: allowlist, result: result, asOf: day)
        if json {
            try Console.json(listing)
            return
        }
        var table = TextTable(headers: ["ID", "ACCOUNT", "CATEGORY", "APPROVED", "REVIEWED", "EXPIRES", "STATUS"])
        for item in listing.entries {
            let entry = item.entry
            table.add([
                TerminalText.cell(entry.id), TerminalText.cell(entry.account),
                entry.category?.rawValue ?? "-", entry.approvedOn?.description ?? "-",
                entry.lastReviewedOn?.description ?? "-", entry.expiresOn?.description ?? "-",
                item.standing.labels.joined(separator: ", "),
            ])
        }
        Console.out(table.render())
        Console.out(
            "\n\(allowlist.entries.count) entries in \(file.allowlist) as of \(day) "
                + "(review every \(allowlist.reviewIntervalDays) days, expiry warning \(allowlist.expiryWarningDays) days)")
        for warning in result.warnings { Console.err(TerminalText.safe(warning.description, keepingLineBreaks: true)) }
    }
}

/// The JSON document of `allowlist list`.
struct AllowlistListing: Encodable {
    struct Item: Encodable {
        var entry: AllowlistEntry
        var standing: AllowlistEntryStanding

        func encode(to encoder: Encoder) throws {
            // The entry's own fields at the top level, with its standing beside them.
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(standing, forKey: .standing)
        }

        enum Key: String, CodingKey { case standing }
    }

    var path: String
    var sha256: String
    var version: Int
    var reviewIntervalDays: Int
    var expiryWarningDays: Int
    var authorizedAdmins: [String]
    var asOf: UTCDay
    var entries: [Item]
    var issues: [AllowlistIssue]

    init(allowlist: Allowlist, result: AllowlistLoadResult, asOf: UTCDay) {
        path = result.path
        sha256 = result.sha256
        version = allowlist.version
        reviewIntervalDays = allowlist.reviewIntervalDays
        expiryWarningDays = allowlist.expiryWarningDays
        authorizedAdmins = allowlist.authorizedAdmins
        self.asOf = asOf
        entries = allowlist.entries.map { Item(entry: $0, standing: allowlist.standing(of: $0, on: asOf)) }
        issues = result.issues
    }
}
