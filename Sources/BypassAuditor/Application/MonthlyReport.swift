import Core
import Detection
import Drift
import Policy
import Reporting
import Store
import Foundation

/// `report`: the monthly drift report of one tenant and period, written as a folder and stored as a run.
public enum MonthlyReport {
    public struct Request: Sendable {
        public var tenant: String?
        public var allowlistPath: String
        /// Rules whose digests the report publishes.
        public var rules: RuleSource
        public var period: ReportingPeriod?
        /// The clock: the default period, the as-of time when the period has not ended, and the generation time.
        public var clock: Date
        public var formats: Set<ReportFormat>
        public var outputDirectory: String
        /// Withdraw the period's latest revision (kept aside) in favour of this run.
        public var force: Bool
        /// Why this run was made; required with `force`, stored with the run.
        public var reason: String?
        /// The hash chain's problems when the caller accepted unverified evidence (`IntegrityGate`): the report
        /// says so on its first screen. Empty when the chain verified.
        public var chainProblems: [String]

        public init(
            tenant: String?, allowlistPath: String, rules: RuleSource, period: ReportingPeriod?, clock: Date,
            formats: Set<ReportFormat>, outputDirectory: String, force: Bool, reason: String? = nil, chainProblems: [String] = []
        ) {
            self.reason = reason
            self.chainProblems = chainProblems
            self.tenant = tenant
            self.allowlistPath = allowlistPath
            self.rules = rules
            self.period = period
            self.clock = clock
            self.formats = formats
            self.outputDirectory = outputDirectory
            self.force = force
        }
    }

    public struct Outcome: Sendable {
        public var report: Report
        /// The folder as named under the requested output directory (`Reports/2026-10`).
        public var folder: String
        public var files: [String]
        public var replacedExisting: Bool
        /// Why the rules were not (all) read: the report still runs, publishing fewer digests.
        public var ruleWarnings: [String]
        /// What else the database holds beside the reported tenant (also in the report's verdict sentence).
        public var tenantNotes: [String]
        /// The SHA-256 of the folder's `SHA256SUMS`: the value to record.
        public var manifestDigest: String
        /// Why the run was made (`--reason`).
        public var reason: String?
        /// With `--force`: the revision withdrawn, and where its folder is kept.
        public var replacedRevision: Int?
        public var replacedLocation: String?

        /// The document `report --json` prints.
        public var document: ReportRunDocument {
            ReportRunDocument(
                report: report, folder: folder, files: files, replaced: replacedExisting, manifestSHA256: manifestDigest,
                reason: reason, replacedRevision: replacedRevision, replacedFolder: replacedLocation)
        }
    }

    /// Resolves window and tenant, records the register version, locks the output folder and completes what
    /// interrupted runs left there, gathers every stored fact in one read, builds the report, then publishes it
    /// (`ReportPublisher`: rendered aside, recorded as pending, renamed into place, recorded as published), so a
    /// kill at any point leaves something the next run finishes and the period keeps a complete report.
    ///
    /// `note` receives what the run did besides its report (leftovers of interrupted runs it cleaned up), for stderr.
    /// `step` is told each stage as it starts (reading, judging, writing), for a progress line: at scale a report
    /// takes seconds, and a silent terminal looks hung.
    public static func run(
        _ request: Request, database: AuditDatabase, note: (String) -> Void = { _ in }, step: (String) -> Void = { _ in }
    ) throws -> Outcome {
        let window = try EvaluationWindow.report(period: request.period, clock: request.clock)
        let period = window.period
        // The register's version is recorded (its YAML parsed when it changed) while the tenant is chosen (every
        // tenant's events counted): neither needs the other, and both come before the facts are read. The tenant's
        // error, if both fail, is the one shown, as when they ran in turn. An unchanged register's stored parse is
        // decoded once the facts are read (below): decoded here, it kept the first thread idle for about 0.07 s at
        // scale.
        let (choice, recordedRegister) = try Concurrently.both(
            { try TenantSelection.select(request.tenant, in: database) },
            { try RegisterCheckout.record(path: request.allowlistPath, into: database, at: request.clock) })
        let tenant = choice.tenant
        let (ruleSet, ruleWarnings) = try loadRules(request.rules)

        // From here to the publication this run owns the output folder: what an interrupted run left there is
        // cleaned up first.
        let outputDirectory = URL(fileURLWithPath: request.outputDirectory)
        let lock = try lockOutput(outputDirectory, note: note)
        defer { lock.release() }
        for sentence in try ReportPublisher.recover(outputDirectory: outputDirectory, lock: lock, database: database, clock: Date()) {
            note(sentence)
        }

        // Everything read and judged lives inside this function and is released when it returns: the facts a month
        // holds at scale (200,000 alerts and changes) are not kept beside the report while its files are written.
        // The recorded register is handed over, not captured: its text and stored parse (4 MB at 5,000 entries) are
        // let go once decoded rather than kept while the report is written.
        func buildReport(_ registerToDecode: consuming RecordedRegister) throws -> (Report, ReportDestination, RenderedAhead) {
            step("report: reading the period's facts")
            // After the register is recorded (its version change belongs to the period's history), in one committed
            // state.
            let outputPath = outputDirectory.standardizedFileURL.path
            // The register's stored parse is decoded last on the first thread, which by then would wait for the
            // alerts' thread: that reads more.
            var (facts, (history, decodedRegister)) = try DriftFacts.gather(
                from: database, tenant: tenant, asOf: window.asOf, period: period, wholeAlerts: true
            ) { db in
                let history = StoredReportHistory(
                    edits: try AllowlistHistory.edits(db, from: period.start, to: period.endInstant),
                    changes: try AllowlistHistory.changes(db, from: period.start, to: period.endInstant),
                    chainHead: try Ledger.head(db),
                    previous: try ReportHistory.previous(db, tenant: tenant, before: period),
                    history: try ReportHistory.recent(db, tenant: tenant, limit: 12),
                    recordedRevision: try ReportHistory.highestRevision(
                        db, tenant: tenant, label: period.label, in: outputPath))
                return (history, try registerToDecode.register())
            }
            let register = decodedRegister
            _ = consume registerToDecode
            // The report lists every alert whole; drift judges them through `facts.alerts`, made from the same ones.
            var alerts = facts.wholeAlerts
            facts.wholeAlerts = []
            var driftInputs = DriftInputs(tenant: tenant, asOf: window.asOf, period: period, facts: facts, allowlist: register)
            facts.alerts = PeriodAlerts()
            let destination = try ReportDestination.plan(
                outputDirectory: outputDirectory, label: period.label, force: request.force, recordedRevision: history.recordedRevision)
            // The rule sets that evaluated the period's events: runs that reached into the period, up to the clock.
            let ranOverPeriod = driftInputs.detectionRuns.filter { run in
                (run.evaluatedThrough ?? run.ranAt) >= period.start && run.ranAt <= request.clock
            }
            // The report's tables of the period's changes and alerts are written on another thread, into the folder
            // the report is then written in (`RenderedAhead`): the change rows, which need nothing drift judges, are
            // made and written while drift judges, the alerts' table once they are rows.
            let renderedAhead = try RenderedAhead(
                formats: request.formats, into: ReportFolders.stagingFolder(for: destination.folder))
            let changeRows = renderedAhead.writeChanges { [inventory = driftInputs.inventory, asOf = window.asOf] in
                ReportBuilder.changeRows(inventory: inventory, period: period, asOf: asOf, allowlist: register)
            }
            step("report: judging \(driftInputs.inventory.accounts.count) accounts against the register")
            let drift = DriftAnalyzer.analyze(driftInputs, citing: alerts)
            // The report lists the period's alerts up to as-of: narrowed in place rather than copied, since a month
            // holds 200,000 at scale; drift's references to them are let go first.
            driftInputs.alerts = PeriodAlerts()
            // What judging built and let go (the alert references and their index) sits between
            // live blocks, where the builder's many small allocations do not reuse it.
            AllocatorTuning.returnFreedMemory()
            alerts.removeAll { !(period.contains($0.eventTime) && $0.eventTime <= window.asOf) }
            // The alerts become the report's rows and are let go.
            let alertRows = ReportBuilder.alertRows(consume alerts)
            renderedAhead.write(alerts: alertRows)
            let inputs = ReportInputs(
                period: period, asOf: window.asOf, generatedAt: request.clock, tenant: tenant,
                revision: destination.revision, runNonce: UUID().uuidString, drift: drift,
                inventory: driftInputs.inventory,
                alerts: [],
                allowlist: register, edits: history.edits, versionChanges: history.changes,
                coverage: driftInputs.coverage, previous: history.previous, history: history.history,
                sources: ReportSources(
                    ruleFileDigests: ruleSet?.fileDigests ?? [:], ruleSetDigest: ruleSet?.digest ?? "",
                    detectionRuleSetDigests: ranOverPeriod.map(\.ruleSetDigest), chainHead: history.chainHead,
                    chainProblems: request.chainProblems, tenantNotes: choice.notes))
            return (
                ReportBuilder.build(consume inputs, alerts: alertRows, changes: try changeRows.receive()), destination,
                renderedAhead
            )
        }
        let (report, destination, renderedAhead) = try buildReport(consume recordedRegister)
        AllocatorTuning.returnFreedMemory()

        let folder = (request.outputDirectory as NSString).appendingPathComponent(destination.folder.lastPathComponent)
        step("report: writing \(destination.folder.lastPathComponent)")
        let publication = try ReportPublisher.publish(
            report, formats: request.formats, to: destination, folder: folder,
            attribution: ReportPublisher.Attribution(reason: request.reason, madeBy: LoginName.current()), database: database,
            clock: Date(), renderedAhead: renderedAhead)
        return Outcome(
            report: report, folder: folder, files: publication.written.fileNames, replacedExisting: destination.replacesExisting,
            ruleWarnings: ruleWarnings, tenantNotes: choice.notes, manifestDigest: publication.written.manifestDigest, reason: request.reason,
            replacedRevision: destination.replaces?.revision, replacedLocation: publication.replacedLocation?.path)
    }

    /// Creates and locks the output folder; says so when another report run holds it.
    static func lockOutput(_ directory: URL, note: (String) -> Void) throws -> ReportFolderLock {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportWriteError.cannotWrite(path: directory.path, reason: error.localizedDescription)
        }
        return try ReportFolderLock(directory: directory) {
            note("waiting for another report run writing in \(directory.path)")
        }
    }

    /// The rules whose digests the report publishes. A `--rules` path that cannot be read is an error: a report
    /// that silently published no rule digests would look like one made with no rules.
    static func loadRules(_ source: RuleSource) throws -> (RuleSet?, [String]) {
        let ruleSet = try source.load()
        return (ruleSet, ruleSet.errors.map { "\($0)" })
    }
}

/// What a report reads besides the drift facts, in the same committed state: the register's history of the
/// period, the chain head and the earlier reports.
private struct StoredReportHistory: Sendable {
    var edits: [AllowlistEdit]
    var changes: [AllowlistVersionChange]
    var chainHead: String
    var previous: StoredReportSummary?
    var history: [StoredReportSummary]
    var recordedRevision: Int
}
