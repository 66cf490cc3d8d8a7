import ArgumentParser
import BypassAuditor
import Foundation

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare the bypass inventory with the allowlist: findings, and the five false-positive controls.",
        discussion: Examples.after(
            """
            Judges the inventory at --as-of (default now; with --period, the end of that period) against the \
            register, and the activity of the period (default: the first day of the as-of month through the as-of \
            day). Each run stores the register's version in the database. Exit 0 when no finding reaches --fail-on \
            (default high), 3 when one does, 1 on errors (an invalid register: every problem is printed).
            """, Examples.drift))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions
    @OptionGroup var moment: AsOfOptions
    @OptionGroup var periodOptions: PeriodOptions

    @OptionGroup var file: AllowlistFileOptions

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 3 when a finding is at least this severe: critical, high, medium, low, info, or none.")
    var failOn: FailThreshold = FailThreshold(severity: .high)

    @Flag(help: "Print the result as JSON: {as_of, period, tenant, findings, controls, tenant_notes}.")
    var json = false

    @OptionGroup var integrity: IntegrityGateOption

    func run() throws {
        let store = try database.openWritableIfPossible()
        _ = try integrity.check(store)  // prints the warning first when --allow-unverified lets a broken chain through
        let outcome = try DriftRun.run(
            DriftRun.Request(
                tenant: tenantOptions.tenant, allowlistPath: file.path(), asOf: moment.given, period: periodOptions.given,
                now: Date(), releasingFactsAtExit: true),
            database: store)
        // The result is written once and the process ends: its exit releases it (`ReleasedAtExit`).
        defer { ReleasedAtExit.keep(outcome) }
        Console.tenantNotes(outcome.result.tenantNotes)
        for note in outcome.notes { Console.err("NOTE: " + TerminalText.safe(note)) }
        if json {
            try Console.json(outcome.result)
        } else {
            DriftText.print(outcome.result, register: outcome.register)
        }
        if let threshold = failOn.severity, let worst = outcome.result.worstSeverity, worst >= threshold {
            throw ExitStatus.findingsAtThreshold
        }
    }
}
