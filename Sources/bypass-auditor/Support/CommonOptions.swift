import ArgumentParser
import BypassAuditor
import Foundation

/// `--db PATH` on commands that only read the database: a path that does not exist is refused, never created.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The SQLite database; it must exist. Default: $BYPASS_AUDITOR_DB, bypass-auditor.toml, ./bypass-auditor.sqlite.",
        completion: .file())
    var db: String?

    func path() throws -> String { try ProjectPaths.resolve(db, \.database, name: "db") }

    func open() throws -> AuditDatabase {
        try AuditDatabase.open(path: path(), .mustExist)
    }

    /// For commands that only read: never writes, so a read-only evidence copy works.
    func openReadOnly() throws -> AuditDatabase {
        try AuditDatabase.open(path: path(), .mustExist, access: .readOnly)
    }

    /// Read-write when this process may write the file, else read-only (`drift`, which records the register
    /// version when it can and says so when it cannot).
    func openWritableIfPossible() throws -> AuditDatabase {
        let path = try path()
        let access: AuditDatabase.Access = AuditDatabase.isWritable(path) ? .readWrite : .readOnly
        return try AuditDatabase.open(path: path, .mustExist, access: access)
    }
}

/// `--db PATH` on commands that put facts in (`ingest`, `snapshot import`, `allowlist add`): created when absent.
struct CreatingDatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The SQLite database (created when absent). Default: $BYPASS_AUDITOR_DB, bypass-auditor.toml, ./bypass-auditor.sqlite.",
        completion: .file())
    var db: String?

    func open() throws -> AuditDatabase {
        let path = try ProjectPaths.resolve(db, \.database, name: "db")
        if AuditDatabase.wouldCreate(path: path) {
            Console.err("warning: creating a new database at \(path) (no database there yet)")
        }
        return try AuditDatabase.open(path: path, .createIfAbsent)
    }
}

/// `--tenant ID`: which tenant to look at when the database holds several.
struct TenantOptions: ParsableArguments {
    @Option(name: .long, help: "The tenant (OrganizationId) to work on; needed when several tenants hold bypass data.")
    var tenant: String?
}

/// `--as-of TIME`: the moment a command answers for. `--now` is its old name on `detect` and `report`, kept hidden.
struct AsOfOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: "The moment to answer for (UTC): a timestamp, or a date meaning the end of that day. Default: now.")
    var asOf: Moment?

    @Option(name: .customLong("now"), help: .hidden)
    var now: Moment?

    func validate() throws {
        if asOf != nil, now != nil { throw ValidationError("--now is the old name of --as-of: give only --as-of") }
    }

    /// The moment given, if any.
    var given: Date? { (asOf ?? now)?.date }

    /// The moment given, else the clock.
    func resolve(clock: Date = Date()) -> Date { given ?? clock }
}

/// `--period YYYY-MM` or `--from DAY --to DAY`: the period drift and report judge.
struct PeriodOptions: ParsableArguments {
    @Option(help: "The period to judge: a calendar month, YYYY-MM.")
    var period: Month?

    @Option(help: "First day of an explicit period (YYYY-MM-DD), with --to.")
    var from: UTCDay?

    @Option(help: "Last day of an explicit period (YYYY-MM-DD), with --from.")
    var to: UTCDay?

    func validate() throws {
        if period != nil, from != nil || to != nil { throw ValidationError("give either --period or --from/--to, not both") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
        if let from, let to, from.distance(to: to) + 1 > ReportingPeriod.maximumDays {
            throw ValidationError(
                "--from \(from) --to \(to) spans \(from.distance(to: to) + 1) days; a period is at most "
                    + "\(ReportingPeriod.maximumDays) days (report longer spans as one period per month or year)")
        }
    }

    /// The period given, if any.
    var given: ReportingPeriod? {
        if let period { return period.period }
        if let from, let to { return try? ReportingPeriod(from: from, through: to) }
        return nil
    }
}

/// `--rules PATH`: the detection rules, a folder of TOML files or one file.
struct RulesOptions: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: "Folder (or file) of detection rules in Elastic's TOML format, instead of the rules built into the binary (or those bypass-auditor.toml names).",
        completion: .directory)
    var rulesFlag: String?

    /// `--rules` when given, else the folder a project configuration names, else the rules built into the binary:
    /// never a folder relative to the working directory that happens not to exist.
    func source() throws -> RuleSource {
        if rulesFlag == nil {
            let configuration = try ProjectConfiguration.discover()
            if (configuration.sources["rules"] ?? "default") == "default" {
                Console.note("rules: built in")
                return .bundled
            }
        }
        return .path(try ProjectPaths.resolve(rulesFlag, \.rules, name: "rules"))
    }
}

/// `--input-format F`: the log format, when it cannot be told from the content. `--format` is its old name on
/// `ingest` and `watch`, kept hidden: on `report` `--format` means the output formats.
struct InputFormatOptions: ParsableArguments {
    @Option(
        name: .customLong("input-format"),
        help: "Input format, instead of detecting it from the content: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var inputFormat: LogFormat?

    @Option(name: .customLong("format"), help: .hidden)
    var formatAlias: LogFormat?

    var format: LogFormat? { inputFormat ?? formatAlias }
}

/// `--quiet`: only results, warnings and errors; no notes about the paths in use and no progress lines. Every command
/// takes it. Colour and cursor control codes are governed by the terminal itself (`NO_COLOR`, `TERM=dumb`; see
/// `Console.allowsControlCodes`).
struct OutputOptions: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "Print only results, warnings and errors (no notes, no progress).")
    var quiet = false

    /// Applied while the command line is parsed, before `run`, so every note of the run (paths in use, rules in
    /// force) obeys it: notes are written from many places, all through `Console`.
    func validate() throws {
        if quiet { Console.quiet = true }
    }
}
