import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist list`: every entry with its dates and how it stands today.
struct AllowlistListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the register's entries with their approval, review and expiry dates.",
        discussion: Examples.allowlistList)

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var file: AllowlistFileOptions

    @OptionGroup var moment: AsOfOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let day = UTCDay(containing: moment.resolve())
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
            "\n\(allowlist.entries.count) entries in \(result.path) as of \(day) "
                + "(review every \(allowlist.reviewIntervalDays) days, expiry warning \(allowlist.expiryWarningDays) days)")
        for warning in result.warnings { Console.err(TerminalText.safe(warning.description, keepingLineBreaks: true)) }
    }
}
