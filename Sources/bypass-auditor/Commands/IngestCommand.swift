import ArgumentParser
import BypassAuditor
import Foundation

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read audit logs and store every bypass event (and any event a loaded rule matches).",
        discussion: Examples.after(
            """
            Reads ECS NDJSON / _search responses, raw Management Activity API records (NDJSON or JSON array) and \
            Purview CSV exports, plain or gzip, files, directories (recursive) or - for stdin. Each file resumes from \
            its checkpoint, so a rerun stores nothing twice. Exit 0 when everything was read, 2 when records were \
            skipped (each reported as file:line: reason), 1 when the run could not proceed. With \
            --from-elasticsearch URL it searches the cluster instead (see README "Elasticsearch").
            """, Examples.ingest))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: CreatingDatabaseOptions

    @OptionGroup var inputFormat: InputFormatOptions

    var format: LogFormat? { inputFormat.format }

    @OptionGroup var rules: RulesOptions

    @Option(help: "The tenant (OrganizationId) of records that carry none; they are marked as assigned.")
    var tenant: String?

    @Flag(help: "Parse every line and report every malformed one (full-parse speed).")
    var validate = false

    @Flag(help: "Read every file from the start again, even ones read before (nothing is stored twice).")
    var reread = false

    @Flag(help: "Stop at the first skipped record (earlier batches stay committed).")
    var strict = false

    @Flag(help: "Print a JSON summary (files, records, events_stored, duplicates, skipped, errors).")
    var json = false

    @OptionGroup var cluster: ElasticsearchIngestOptions

    @Argument(help: "Files or folders to read; - for standard input.", completion: .file())
    var paths: [String] = []

    func run() async throws {
        // (`validate` is the --validate flag here, so the argument check lives in run.)
        if cluster.url == nil, paths.isEmpty { throw ValidationError("give files or folders to read, or --from-elasticsearch URL") }
        if cluster.url != nil, !paths.isEmpty { throw ValidationError("give files or --from-elasticsearch, not both") }
        if cluster.url != nil, tenant != nil || format != nil || reread || strict || validate {
            throw ValidationError("--tenant, --input-format, --reread, --strict and --validate apply to files, not --from-elasticsearch")
        }
        let (store, interest, ruleSet) = try RuleInterestLoader.load(try rules.source(), meanwhile: { try database.open() })
        let missing = try IngestHistory.rulesMissingFromEarlierRuns(in: store, ruleIDs: ruleSet.rules.map(\.ruleID))
        if !missing.isEmpty, !reread {
            let names = missing.map { id in ruleSet.rules.first { $0.ruleID == id }.map { "\"\($0.name)\"" } ?? id }
            Console.err(
                "note: \(missing.count) rule(s) were not loaded when earlier logs were ingested "
                    + "(\(TerminalText.safe(names.joined(separator: ", ")))): run `bypass-auditor ingest --reread` "
                    + "on those logs for these rules to see them")
        }
        let summary: IngestSummary
        if let url = cluster.url {
            summary = try await cluster.connection.withClient(url) { client in
                try await ElasticsearchIngest(
                    client: client, database: store, interest: interest, rules: ruleSet.rules,
                    options: cluster.ingestOptions
                ).run()
            }
        } else {
            summary = try ingestFiles(store: store, interest: interest)
        }
        if json {
            try Console.json(summary)
        } else {
            for error in summary.errors { Console.err("skipped: \(error)") }
            for line in summary.heldBack { Console.err("held back: \(line)") }
            if summary.derivedIds > 0 {
                Console.err(
                    "note: \(summary.derivedIds) record(s) carried no Id: stored under an id derived from their "
                        + "content (\(DerivedEventID.prefix)…), so reading them again stores nothing twice")
            }
            if summary.filesReread > 0 {
                Console.err(
                    "note: \(summary.filesReread) file(s) changed before their checkpoint (rewritten in place): read "
                        + "again from the start; events already stored were not stored twice")
            }
            if summary.errorsNotListed > 0 { Console.err("skipped: … and \(summary.errorsNotListed) more") }
            Console.out(
                (cluster.url == nil ? "read \(summary.files) file(s), \(summary.records) record(s)" : "read \(summary.records) hit(s) from the cluster")
                    + "; stored \(summary.eventsStored) new "
                    + "event(s), \(summary.duplicates) already stored, \(summary.skipped) skipped"
                    + (summary.filesUnchanged > 0 ? "; \(summary.filesUnchanged) file(s) unchanged since last ingest (--reread reads them again)" : ""))
        }
        for warning in Self.tenantWarnings(summary) { Console.err("WARNING: " + warning) }
        if summary.skipped > 0 { throw ExitStatus.inputSkipped }
    }

    private func ingestFiles(store: AuditDatabase, interest: EventInterest) throws -> IngestSummary {
        let sources: [InputSource]
        do {
            sources = try InputSource.expand(paths)
        } catch let error as ReadError {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
        let progress = Console.showsProgress ? ProgressLine() : nil
        var report: (@Sendable (IngestProgress) -> Void)?
        if let progress { report = { progress.show($0) } }
        let ingester = Ingester(
            database: store, interest: interest,
            options: Ingester.Options(
                format: format, mode: validate ? .validate : .fast, strict: strict,
                progress: report, tenantForUnmarked: tenant.map(TenantID.init), reread: reread))
        defer { progress?.finish() }
        do {
            return try ingester.ingest(sources)
        } catch let error as IngestError {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
    }

    /// Records without OrganizationId, and a run that mixes them with a known tenant, are said out loud (on stderr
    /// with --json too): they land under "(no tenant)", apart from the tenant's inventory and reports.
    static func tenantWarnings(_ summary: IngestSummary) -> [String] {
        var warnings: [String] = []
        let unassigned = summary.withoutTenant - summary.tenantAssigned
        if summary.tenantAssigned > 0 {
            warnings.append(
                "\(summary.tenantAssigned) record(s) carried no OrganizationId and were assigned to the --tenant given")
        }
        if unassigned > 0 {
            let known = summary.tenants.filter { !$0.isUnknown }
            warnings.append(
                "\(unassigned) record(s) carry no OrganizationId: stored under the unknown tenant \"(no tenant)\""
                    + (known.isEmpty
                        ? "" : ", apart from tenant \(known.map(\.description).joined(separator: ", ")) read in the same run")
                    + "; they are in no tenant's inventory or report. Ingest them with --tenant ID to assign them")
        }
        return warnings
    }
}
