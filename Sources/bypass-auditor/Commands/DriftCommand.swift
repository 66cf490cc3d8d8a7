import ArgumentParser
import BypassAuditor
import Foundation

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare the bypass inventory with the allowlist: findings, and the five false-positive controls.",
        discussion: """
            Judges the inventory at --as-of (default now; with --period, the end of that period) against the \
            register, and the activity of the period (default: the first day of the as-of month through the as-of \
            day). Each run stores the register's version in the database. Exit 0 when no finding reaches --fail-on \
            (default high), 3 when one does, 1 on errors (an invalid register: every problem is printed).
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var tenantOptions: TenantOptions

    @Option(help: "The allowlist (written exception register).")
    var allowlist: String = "Policies/allowlist.yaml"

    @Option(name: .customLong("as-of"), help: "The moment judged: YYYY-MM-DD (end of that day, UTC) or a timestamp.")
    var asOf: String?

    @Option(help: "The period whose activity is judged: a month, YYYY-MM.")
    var period: String?

    @Option(help: "First day of the period (YYYY-MM-DD), with --to.")
    var from: String?

    @Option(help: "Last day of the period (YYYY-MM-DD), with --from.")
    var to: String?

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 3 when a finding is at least this severe: critical, high, medium, low, info, or none.")
    var failOn: FailThreshold = FailThreshold(severity: .high)

    @Flag(help: "Print the result as JSON: {as_of, period, tenant, findings, controls}.")
    var json = false

    @OptionGroup var integrity: IntegrityGateOption

    func validate() throws {
        if period != nil && (from != nil || to != nil) {
            throw ValidationError("give either --period or --from/--to, not both")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
    }

    func run() throws {
        let now = Date()
        let (asOf, period) = try resolveTimes(now: now)
        let store = try database.open()
        let tenant = try resolveTenant(store)
        _ = try integrity.check(store)  // prints the warning first when --allow-unverified lets a broken chain through

        let loaded: AllowlistLoadResult
        do {
            loaded = try AllowlistLoader.load(path: allowlist)
        } catch {
            // AllowlistLoadError already reads `path: error: reason`.
            Console.err(DriftText.safe("\(error)"))
            throw ExitStatus.failure
        }
        _ = try store.write { db in try AllowlistHistory.record(db, loaded, path: allowlist, at: now) }
        guard loaded.isValid, let register = loaded.allowlist else {
            for issue in loaded.issues { Console.err(DriftText.safe(issue.description)) }
            Console.err(
                "error: \(allowlist) is not a valid allowlist (\(loaded.errors.count) error(s)); drift does not run on "
                    + "an invalid register: fix it and check with `bypass-auditor allowlist validate`")
            throw ExitStatus.failure
        }

        let inputs = try store.read { db in
            try DriftInputs.gather(db, tenant: tenant, allowlist: register, asOf: asOf, period: period)
        }
        let result = DriftAnalyzer.analyze(inputs)
        if json {
            try Console.json(result)
        } else {
            DriftText.print(result, register: register)
        }
        if let threshold = failOn.severity, let worst = result.worstSeverity, worst >= threshold {
            throw ExitStatus.findingsAtThreshold
        }
    }

    /// `--as-of` and the period, with their defaults.
    private func resolveTimes(now: Date) throws -> (Date, ReportingPeriod) {
        var explicitPeriod: ReportingPeriod?
        do {
            if let period {
                explicitPeriod = try ReportingPeriod(month: period)
            } else if let from, let to {
                guard let first = UTCDay(from) else { throw ValidationError("--from '\(from)' is not a date YYYY-MM-DD") }
                guard let last = UTCDay(to) else { throw ValidationError("--to '\(to)' is not a date YYYY-MM-DD") }
                explicitPeriod = try ReportingPeriod(from: first, through: last)
            }
        } catch let error as ReportingPeriod.PeriodError {
            throw ValidationError(error.description)
        }
        let asOfTime: Date
        if let asOf {
            guard let parsed = UTCTimestamp.parseInstant(asOf) else {
                throw ValidationError("--as-of '\(asOf)' is not a date (YYYY-MM-DD) or a timestamp")
            }
            asOfTime = parsed
        } else if let explicitPeriod {
            asOfTime = min(now, explicitPeriod.endInstant)
        } else {
            asOfTime = now
        }
        let resolved = explicitPeriod ?? DriftInputs.defaultPeriod(asOf: asOfTime)
        if asOfTime < resolved.start {
            throw ValidationError(
                "--as-of \(UTCTimestamp.format(asOfTime)) is before the period \(resolved.label) starts")
        }
        return (asOfTime, resolved)
    }

    /// `--tenant`, or the only tenant the database knows; several without `--tenant` is an error, never a mix.
    private func resolveTenant(_ store: AuditDatabase) throws -> TenantID {
        let tenants = try store.read { db in try InventoryBuilder.tenants(db) }
        if let given = tenantOptions.tenant {
            let tenant = TenantID(given)
            if !tenants.contains(tenant) {
                // Not an error: a tenant that never had a bypass record is a clean tenant, not a typo, as far as the
                // database can tell.
                Console.err("note: the database holds no bypass record or snapshot for tenant \(tenant)")
            }
            return tenant
        }
        switch tenants.count {
        case 0: return .unknown
        case 1: return tenants[0]
        default:
            Console.err(
                "error: the database holds \(tenants.count) tenants (\(tenants.map(\.description).joined(separator: ", "))); "
                    + "choose one with --tenant")
            throw ExitStatus.failure
        }
    }
}

/// `--fail-on`: a severity, or `none` to never exit 3.
struct FailThreshold: ExpressibleByArgument {
    var severity: Severity?

    init(severity: Severity?) { self.severity = severity }

    init?(argument: String) {
        let text = argument.lowercased()
        if text == "none" {
            severity = nil
        } else if let severity = Severity(rawValue: text) {
            self.severity = severity
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { severity?.rawValue ?? "none" }
    static var allValueStrings: [String] { Severity.descending.map(\.rawValue) + ["none"] }
}

/// The human-readable drift output: a verdict line, counts, each finding, then the controls.
enum DriftText {
    static func print(_ result: DriftResult, register: Allowlist) {
        let counts = Severity.descending.map { "\(result.count(of: $0)) \($0)" }.joined(separator: ", ")
        let statuses = ControlStatus.allCases.map { status in
            "\(result.controls.filter { $0.status == status }.count) \(status.rawValue)"
        }.joined(separator: ", ")
        Console.out(
            "Drift for tenant \(result.tenant) as of \(UTCTimestamp.format(result.asOf)), period \(result.period.label)")
        Console.out("Register: \(safe(register.path)) (sha256 \(register.sha256.prefix(12))…, \(register.entries.count) entries)")
        Console.out("Findings: \(result.findings.isEmpty ? "none" : counts)")
        Console.out("Controls: \(statuses)")
        for finding in result.findings {
            Console.out("")
            Console.out("\(finding.severity.rawValue.uppercased())  \(safe(finding.id))")
            Console.out("  \(safe(finding.detail))")
            if !finding.evidence.isEmpty {
                Console.out("  evidence:")
                for line in evidenceLines(finding.evidence) { Console.out(safe("    " + line)) }
            }
            Console.out("  action: \(safe(finding.action))")
        }
        Console.out("")
        Console.out("Controls (the seed rule's false-positive practices):")
        for control in result.controls {
            Console.out("  \(control.id.rawValue)  \(control.status.rawValue.uppercased().padding(toLength: 4, withPad: " ", startingAt: 0))  \(control.title)")
            Console.out("        \(safe(control.reason))")
            if !control.findingIDs.isEmpty {
                Console.out("        findings: \(safe(control.findingIDs.joined(separator: ", ")))")
            }
        }
    }

    /// One line per piece of evidence, except that a run of day evidence (a coverage gap) reads as one range:
    /// the JSON keeps every day.
    static func evidenceLines(_ evidence: [Evidence]) -> [String] {
        var lines: [String] = []
        var index = 0
        while index < evidence.count {
            let item = evidence[index]
            var end = index
            while item.kind == .day, end + 1 < evidence.count, evidence[end + 1].kind == .day,
                let day = UTCDay(evidence[end].reference), let next = UTCDay(evidence[end + 1].reference),
                day.advanced(by: 1) == next
            {
                end += 1
            }
            if end - index >= 2 {
                lines.append("days \(item.reference)..\(evidence[end].reference) (\(end - index + 1) days): \(item.note ?? "")")
            } else {
                for single in evidence[index...end] {
                    var line = "\(single.kind.rawValue) \(single.reference)"
                    if let time = single.time { line += " at \(UTCTimestamp.format(time))" }
                    if let note = single.note { line += ": \(note)" }
                    lines.append(line)
                }
            }
            index = end + 1
        }
        return lines
    }

    /// Attacker-written text (account names, actors) shown on a terminal: control and format characters, which
    /// could move the cursor or rewrite earlier lines, are shown as `\u{…}` escapes instead.
    static func safe(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            if category == .control || (category == .format && scalar.value != 0x200D) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
