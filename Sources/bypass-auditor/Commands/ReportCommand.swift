import ArgumentParser
import BypassAuditor
import Foundation

/// `report`: the monthly drift report, written as a folder of files and remembered for the next month's comparison.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the monthly drift report (Markdown, HTML, JSON, CSV, remediation script, SHA256SUMS).",
        discussion: """
            Judges the inventory at the end of the period (default: the last complete calendar month) against the \
            register, and writes the report into <out>/<period>/ (default Reports/2026-10/). A written report is \
            evidence and is never overwritten: a rerun for the same period writes <out>/<period>.r2/, .r3/… beside \
            it, unless --force replaces the latest one. Each run is stored in the database, so the next report \
            compares with it. Exit status: 0 when the report was written (whatever it found); 1 on errors, among \
            them an invalid register (every problem is printed).
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions

    @Option(help: "The allowlist (written exception register).")
    var allowlist: String = "Policies/allowlist.yaml"

    @Option(help: "Folder (or file) of detection rules, whose digests the report publishes.")
    var rules: String = "Policies/rules"

    @Option(help: "The month to report on, YYYY-MM (default: the last complete calendar month).")
    var period: String?

    @Option(help: "First day of an explicit period (YYYY-MM-DD), with --to.")
    var from: String?

    @Option(help: "Last day of an explicit period (YYYY-MM-DD), with --from.")
    var to: String?

    @Option(help: "Formats to write, comma-separated: md, html, json, csv (remediation.ps1 and SHA256SUMS always).")
    var format: String = "md,html,json,csv"

    @Option(help: "Folder the report folder is created in.")
    var out: String = "Reports"

    @Flag(help: "Replace the period's latest report folder instead of writing a new revision beside it.")
    var force = false

    @Option(help: "The clock: an ISO 8601 time or a date (its end). Default: now. Sets the default period and the generation time.")
    var now: String?

    @Flag(help: "Print a JSON summary of the run: {report_id, revision, folder, files, period, verdict, counts…}.")
    var json = false

    @OptionGroup var integrity: IntegrityGateOption

    func validate() throws {
        if period != nil && (from != nil || to != nil) { throw ValidationError("give either --period or --from/--to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let now, UTCTimestamp.parseInstant(now) == nil { throw ValidationError("--now: not a time or date: \(now)") }
        do {
            _ = try ReportFormat.parseList(format)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        let clock = now.flatMap(UTCTimestamp.parseInstant) ?? Date()
        let period = try resolvePeriod(now: clock)
        let asOf = min(period.endInstant, clock)
        guard asOf >= period.start else {
            throw ValidationError("the period \(period.label) has not started at \(UTCTimestamp.format(clock))")
        }
        let formats = try ReportFormat.parseList(format)
        let store = try database.open()
        let chainProblems = try integrity.check(store)
        let tenant = try resolveTenant(store)
        let register = try loadRegister(store, at: clock)
        let ruleSet = loadRules()

        let gathered = try store.read { db in
            (
                drift: try DriftInputs.gather(db, tenant: tenant, allowlist: register, asOf: asOf, period: period),
                edits: try AllowlistHistory.edits(db, from: period.start, to: period.endInstant),
                changes: try AllowlistHistory.changes(db, from: period.start, to: period.endInstant),
                chainHead: try Ledger.head(db),
                previous: try ReportHistory.previous(db, tenant: tenant, before: period),
                history: try ReportHistory.recent(db, tenant: tenant, limit: 12)
            )
        }
        let drift = DriftAnalyzer.analyze(gathered.drift)
        let destination = try ReportDestination.plan(outputDirectory: URL(fileURLWithPath: out), label: period.label, force: force)
        let ranOverPeriod = gathered.drift.detectionRuns.filter { run in
            (run.evaluatedThrough ?? run.ranAt) >= period.start && run.ranAt <= clock
        }
        let inputs = ReportInputs(
            period: period, asOf: asOf, generatedAt: clock, tenant: tenant, revision: destination.revision,
            runNonce: UUID().uuidString, drift: drift,
            inventory: gathered.drift.inventory, alerts: gathered.drift.alerts.filter { period.contains($0.eventTime) && $0.eventTime <= asOf },
            allowlist: register, edits: gathered.edits, versionChanges: gathered.changes, coverage: gathered.drift.coverage,
            previous: gathered.previous, history: gathered.history,
            sources: ReportSources(
                ruleFileDigests: ruleSet?.fileDigests ?? [:], ruleSetDigest: ruleSet?.digest ?? "",
                detectionRuleSetDigests: ranOverPeriod.map(\.ruleSetDigest), chainHead: gathered.chainHead, chainProblems: chainProblems))
        let report = ReportBuilder.build(inputs)

        // The run is stored in the same transaction that writes the folder: a folder that fails to write leaves no
        // stored run behind, and a run that fails to store rolls back before anyone relies on it.
        let folder = (out as NSString).appendingPathComponent(destination.folder.lastPathComponent)
        let written: WrittenReport
        do {
            written = try store.write { db in
                try ReportHistory.record(db, report, folder: folder)
                return try ReportWriter.write(report, formats: formats, to: destination)
            }
        } catch let error as ReportWriteError {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }

        if json {
            try Console.json(ReportRunOutput(report: report, folder: folder, files: written.fileNames, replaced: destination.replacesExisting))
        } else {
            printSummary(report, folder: folder, files: written.fileNames, replaced: destination.replacesExisting)
        }
    }

    // MARK: Inputs

    private func resolvePeriod(now: Date) throws -> ReportingPeriod {
        do {
            if let period { return try ReportingPeriod(month: period) }
            if let from, let to {
                guard let first = UTCDay(from) else { throw ValidationError("--from '\(from)' is not a date YYYY-MM-DD") }
                guard let last = UTCDay(to) else { throw ValidationError("--to '\(to)' is not a date YYYY-MM-DD") }
                return try ReportingPeriod(from: first, through: last)
            }
        } catch let error as ReportingPeriod.PeriodError {
            throw ValidationError(error.description)
        }
        return ReportingPeriod.lastCompleteMonth(before: now)
    }

    /// `--tenant`, or the only tenant the database knows; several without `--tenant` is an error, never a mix.
    private func resolveTenant(_ store: AuditDatabase) throws -> TenantID {
        let tenants = try store.read { db in try InventoryBuilder.tenants(db) }
        if let given = tenantOptions.tenant {
            let tenant = TenantID(given)
            if !tenants.contains(tenant) {
                Console.err("note: the database holds no bypass record or snapshot for tenant \(ReportConsole.safe(tenant.description))")
            }
            return tenant
        }
        switch tenants.count {
        case 0: return .unknown
        case 1: return tenants[0]
        default:
            let list = tenants.map { ReportConsole.safe($0.description) }.joined(separator: ", ")
            Console.err("error: the database holds \(tenants.count) tenants (\(list)); choose one with --tenant")
            throw ExitStatus.failure
        }
    }

    /// The register, stored as a version in the database like every drift run does; an invalid one stops the report.
    private func loadRegister(_ store: AuditDatabase, at time: Date) throws -> Allowlist {
        let loaded: AllowlistLoadResult
        do {
            loaded = try AllowlistLoader.load(path: allowlist)
        } catch {
            Console.err(ReportConsole.safe("\(error)"))
            throw ExitStatus.failure
        }
        _ = try store.write { db in try AllowlistHistory.record(db, loaded, path: allowlist, at: time) }
        guard loaded.isValid, let register = loaded.allowlist else {
            for issue in loaded.issues { Console.err(ReportConsole.safe(issue.description)) }
            Console.err(
                "error: \(ReportConsole.safe(allowlist)) is not a valid allowlist (\(loaded.errors.count) error(s)); the report "
                    + "does not run on an invalid register: fix it and check with `bypass-auditor allowlist validate`")
            throw ExitStatus.failure
        }
        return register
    }

    /// The rules whose digests the report publishes. Missing rules do not stop the report (it judges stored alerts,
    /// not the rules), but the provenance then says so by an empty digest, and stderr tells why.
    private func loadRules() -> RuleSet? {
        do {
            let ruleSet = try RuleSet.load(from: rules)
            for error in ruleSet.errors { Console.err("warning: \(ReportConsole.safe("\(error)"))") }
            return ruleSet
        } catch {
            Console.err("warning: rules not read (\(ReportConsole.safe("\(error)"))): the report publishes no rule digests")
            return nil
        }
    }

    // MARK: Output

    private func printSummary(_ report: Report, folder: String, files: [String], replaced: Bool) {
        let summary = report.summary
        let counts = Severity.descending.map { "\(summary.findingsBySeverity[$0]) \($0.rawValue)" }.joined(separator: ", ")
        let controls = ControlStatus.allCases.map { "\(summary.controlsByStatus[$0]) \($0.rawValue)" }.joined(separator: ", ")
        Console.out("\(replaced ? "Replaced" : "Wrote") report \(report.id) for \(report.periodLabel) (revision \(report.revision)) in \(ReportConsole.safe(folder))/")
        Console.out("  files: \(files.joined(separator: ", "))")
        Console.out("  \(ReportConsole.safe(summary.verdictSentence))")
        Console.out("  findings: \(counts)")
        Console.out("  controls: \(controls)")
        if !report.remediation.commands.isEmpty {
            Console.out("  remediation: \(report.remediation.commands.count) bypass(es) to remove, see \(ReportConsole.safe(folder))/\(RemediationPlan.fileName)")
        }
        if let previous = report.comparison.previous {
            Console.out(
                "  since \(ReportConsole.safe(previous.periodLabel)): \(report.comparison.newFindings.count) new, \(report.comparison.resolvedFindings.count) resolved, \(report.comparison.persistingFindings.count) persisting")
        }
        Console.out("  open \(ReportConsole.safe(folder))/report.html; check the files with: (cd \(ReportConsole.safe(folder)) && sha256sum -c SHA256SUMS)")
    }
}

/// `report --json`: where the run wrote and what it concluded.
struct ReportRunOutput: Encodable {
    var reportID: String
    var revision: Int
    var tenant: TenantID
    var period: String
    var asOf: Date
    var generatedAt: Date
    var folder: String
    var files: [String]
    var replacedExisting: Bool
    var verdict: Verdict
    var verdictSentence: String
    var findingsBySeverity: SeverityCounts
    var controlsByStatus: ControlStatusCounts
    var bypassedAccounts: Int
    var accountsByStatus: AccountStatusCounts
    var remediationCommands: Int
    var previousReportID: String?

    init(report: Report, folder: String, files: [String], replaced: Bool) {
        reportID = report.id
        revision = report.revision
        tenant = report.tenant
        period = report.periodLabel
        asOf = report.asOf
        generatedAt = report.generatedAt
        self.folder = folder
        self.files = files
        replacedExisting = replaced
        verdict = report.summary.verdict
        verdictSentence = report.summary.verdictSentence
        findingsBySeverity = report.summary.findingsBySeverity
        controlsByStatus = report.summary.controlsByStatus
        bypassedAccounts = report.summary.bypassedAccounts
        accountsByStatus = report.summary.accountsByStatus
        remediationCommands = report.remediation.commands.count
        previousReportID = report.comparison.previous?.reportID
    }

    enum CodingKeys: String, CodingKey {
        case reportID = "reportId"
        case revision, tenant, period, asOf, generatedAt, folder, files, replacedExisting, verdict, verdictSentence
        case findingsBySeverity, controlsByStatus, bypassedAccounts, accountsByStatus, remediationCommands
        case previousReportID = "previousReportId"
    }
}

/// Attacker-written text on a terminal: line breaks, escapes and bidi controls shown as visible markers.
enum ReportConsole {
    static func safe(_ text: String) -> String { DisplayText.visible(text) }
}
