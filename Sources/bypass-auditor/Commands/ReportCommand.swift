import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor report`: write the monthly report (the default), or list the reports written.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the monthly drift report (Markdown, HTML, JSON, CSV, remediation script, SHA256SUMS), or list those written.",
        discussion: Examples.after(
            """
            `bypass-auditor report [options]` is `report write`: see `bypass-auditor report write --help`. \
            `report list` shows each period's revisions with their manifest digests.
            """, Examples.report),
        subcommands: [ReportWriteCommand.self, ReportListCommand.self],
        defaultSubcommand: ReportWriteCommand.self)
}

/// `report write` (the default): the monthly drift report, written as a folder of files and remembered for the next
/// month's comparison.
struct ReportWriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Write the monthly drift report (Markdown, HTML, JSON, CSV, remediation script, SHA256SUMS).",
        usage: """
            bypass-auditor report [--period YYYY-MM | --from DAY --to DAY] [--out DIR] [--force --reason TEXT] [<options>]
            """,
        discussion: Examples.after(
            """
            Judges the inventory at the end of the period (default: the last complete calendar month before \
            --as-of) against the register, and writes the report into <out>/<period>/ (default Reports/2026-10/). \
            A written report is evidence and is never overwritten: a rerun for the same period writes \
            <out>/<period>.r2/, .r3/… beside it. --force --reason TEXT withdraws the latest revision: the run \
            becomes the next revision and the withdrawn folder moves, unchanged, to <out>/<period>.replaced/r<N>/. \
            A run killed part-way is completed or cleaned up by the next one. Each run is stored in the database \
            (`report list` shows them), so the next report compares with it. Exit status: 0 when the report was \
            written (whatever it found); 1 on errors, among them an invalid register (every problem is printed).
            """, Examples.report))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions
    @OptionGroup var moment: AsOfOptions
    @OptionGroup var periodOptions: PeriodOptions

    @OptionGroup var file: AllowlistFileOptions

    @OptionGroup var rules: RulesOptions

    @Option(help: "Formats to write, comma-separated: md, html, json, csv (remediation.ps1, README.txt and SHA256SUMS always).")
    var format: ReportFormatList = .all

    @Option(help: "Folder the report folder is created in. Default: bypass-auditor.toml's reports, else Reports.", completion: .directory)
    var out: String?

    @Flag(
        help: "Withdraw the period's latest revision: this run becomes the next revision and the withdrawn folder is kept, unchanged, in <out>/<period>.replaced/r<N>/. Needs --reason.")
    var force = false

    @Option(help: "Why this run is made (required with --force); stored with the run and shown by `report list`.")
    var reason: String?

    @Flag(help: "Print a JSON summary of the run: {report_id, revision, folder, files, period, verdict, counts…}.")
    var json = false

    @OptionGroup var integrity: IntegrityGateOption

    func validate() throws {
        if force, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--force needs --reason TEXT: why the published revision is withdrawn (it is recorded with the run)")
        }
    }

    func run() throws {
        let store = try database.open()
        let progress = Console.showsProgress ? ProgressLine() : nil
        defer { progress?.finish() }
        progress?.show(step: "report: verifying the history chain")
        let chainProblems = try integrity.check(store)
        let outcome = try MonthlyReport.run(
            MonthlyReport.Request(
                tenant: tenantOptions.tenant, allowlistPath: file.path(), rules: rules.source(), period: periodOptions.given,
                clock: moment.resolve(), formats: format.formats, outputDirectory: ProjectPaths.resolve(out, \.reports, name: "reports"), force: force,
                reason: reason?.trimmingCharacters(in: .whitespacesAndNewlines), chainProblems: chainProblems),
            database: store, note: { Console.err("note: " + ReportRunText.safe($0)) }, step: { progress?.show(step: $0) })
        // The report is printed once and the process ends: its exit releases it (`ReleasedAtExit`). Freed here, its
        // 200,000 change rows, findings and accounts took 60 ms at scale.
        defer { ReleasedAtExit.keep(outcome) }
        progress?.finish()
        for warning in outcome.ruleWarnings { Console.err("warning: \(ReportRunText.safe(warning))") }
        Console.tenantNotes(outcome.tenantNotes)
        if json {
            try Console.json(outcome.document)
        } else {
            for line in ReportRunText.render(outcome) { Console.out(line) }
        }
    }
}
