import ArgumentParser
import BypassAuditor
import Foundation

/// `report list`: each period's report revisions, with the manifest digest an auditor records.
struct ReportListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List each period's report revisions: date, state, folder, manifest digest, reason.",
        discussion: Examples.after(
            """
            Every report run the database holds, by tenant and period, oldest period first: its revision, state \
            (published; replaced: withdrawn by report --force, its folder kept in <period>.replaced/; pending: \
            interrupted, the next report run completes it), when it was generated, where its folder is, the SHA-256 \
            of its SHA256SUMS, and why it was made or withdrawn. --verify checks each folder against that digest. \
            --json prints {"periods": [{"tenant", "period", "current_revision", "revisions": [{"report_id", \
            "revision", "state", "generated_at", "as_of", "folder", "location", "manifest_sha256", "reason", \
            "made_by", "replaces_revision", "replaced_by", "replaced_at", "verdict", "findings_by_severity", \
            "bypassed_accounts", "check": {"status", "problems"}}]}]} (Reports/README.md describes each key).

            EXAMPLES
              bypass-auditor report list
              bypass-auditor report list --period 2026-10 --verify
              bypass-auditor report list --json
            """, Examples.reportList))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Only this tenant's runs.")
    var tenant: String?

    @Option(name: .long, help: "Only this period's runs, by its folder label: 2026-10, or 2026-10-01..2026-10-15.")
    var period: String?

    @Flag(name: .long, help: "Check each folder against the manifest digest recorded for it.")
    var verify = false

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let listing = try ReportListing.run(database: database.open(), tenant: tenant, period: period, verify: verify)
        if json {
            try Console.json(listing)
        } else {
            for line in ReportListText.render(listing) { Console.out(line) }
        }
        let damaged = listing.periods.flatMap(\.revisions).contains { [.modified, .missing].contains($0.check?.status) }
        if damaged { throw ExitStatus.integrityFailure }
    }
}
