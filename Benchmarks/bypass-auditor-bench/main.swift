// The speed and memory benchmark (`make bench`, scripts/bench.sh): the targets of README "Performance".
//
// Ingest: a Management API NDJSON corpus (plain and gzip), page-cached, timed beside `cat` and `grep -c -F` (and
// `zcat | grep -c -F` for the gzip copy). Scale: drift and report on a tenant with 10,000 accounts, 200,000 bypass
// changes in one month and a 5,000-entry register. Every command runs `--runs` times (at least 3) under GNU time;
// the table shows medians, and each child's own peak RSS.
//
// `--compare OTHER` also runs drift and report with another build of the tool, taking turns with `--binary` run by
// run so both meet the same load: on a shared host the speed can move by a third between runs minutes apart, more
// than most changes a before/after is asked to show.
//
// Usage: bypass-auditor-bench --binary PATH [--size-mb 1024] [--runs 3] [--data DIR]
//          [--accounts 10000] [--changes 200000] [--register 5000] [--skip-ingest] [--skip-scale] [--compare PATH]
import Foundation

struct BenchOptions {
    var binary: String
    var megabytes = 1024
    var runs = 3
    var data = "bench-data"
    var accounts = 10_000
    var changes = 200_000
    var registerEntries = 5_000
    var ingest = true
    var scale = true
    /// Another build of the tool that runs drift and report turn about with `binary`, on the database `binary` made
    /// (so both must read its schema).
    var compare: String?

    static let usage = """
        usage: bypass-auditor-bench --binary PATH [--size-mb 1024] [--runs 3] [--data DIR]
                 [--accounts 10000] [--changes 200000] [--register 5000] [--skip-ingest] [--skip-scale]
                 [--compare PATH]
        """

    init(_ arguments: [String]) throws {
        func value(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        func number(_ name: String, _ fallback: Int, minimum: Int) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), number >= minimum else { throw BenchError.usage("\(name) needs a number ≥ \(minimum)\n\(Self.usage)") }
            return number
        }
        guard let binary = value("--binary") else { throw BenchError.usage(Self.usage) }
        self.binary = binary
        megabytes = try number("--size-mb", megabytes, minimum: 1)
        runs = try number("--runs", runs, minimum: 3)
        data = value("--data") ?? data
        accounts = try number("--accounts", accounts, minimum: 1)
        changes = try number("--changes", changes, minimum: 1)
        registerEntries = try number("--register", registerEntries, minimum: 1)
        ingest = !arguments.contains("--skip-ingest")
        scale = !arguments.contains("--skip-scale")
        compare = value("--compare")
    }
}

func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

func fileSize(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

func benchIngest(_ options: BenchOptions, into table: inout ResultTable) throws {
    var corpus = IngestCorpus(directory: options.data, megabytes: options.megabytes)
    try corpus.prepare()
    let bin = shellQuoted(options.binary)
    let plain = shellQuoted(corpus.plainPath), gzip = shellQuoted(corpus.gzipPath)
    let database = "\(options.data)/ingest.sqlite"
    let grepOut = "\(options.data)/out-grep.txt", ingestOut = "\(options.data)/out-ingest.txt"
    let needle = "Set-MailboxAuditBypassAssociation"
    let megabytes = Double(corpus.plainBytes) / 1_000_000

    _ = try ChildProcess.check("cat \(plain) \(gzip) > /dev/null")  // page cache
    // cat never stops early, so /dev/null is honest for it (writing 1 GB to a file would time the disk instead).
    let cat = try Measurement.repeated(options.runs, "cat \(plain) > /dev/null")
    // Each ratio's two commands take turns, so both meet the same load.
    let ingestCommand = { (input: String) in
        Measurement.Step(
            prepare: { removeDatabase(database) },
            commandLine: "\(bin) ingest --db \(shellQuoted(database)) --json \(input) > \(shellQuoted(ingestOut))")
    }
    let plainPair = try Measurement.interleaved(
        options.runs,
        [Measurement.Step(commandLine: "grep -c -F \(needle) \(plain) > \(shellQuoted(grepOut))"), ingestCommand(plain)])
    let (grep, ingest) = (plainPair[0], plainPair[1])
    let grepCount = Int((try String(contentsOfFile: grepOut, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
    guard grepCount == corpus.bypassRecords else {
        throw BenchError.failed("grep counted \(grepCount ?? -1) bypass lines, the corpus has \(corpus.bypassRecords)")
    }
    let summary = try String(contentsOfFile: ingestOut, encoding: .utf8)
    let stored = (try? JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])?["events_stored"] as? Int
    guard let stored, stored >= corpus.bypassRecords else {
        throw BenchError.failed("ingest did not store the \(corpus.bypassRecords) bypass records: \(summary)")
    }
    let gzipPair = try Measurement.interleaved(
        options.runs,
        [Measurement.Step(commandLine: "zcat \(gzip) | grep -c -F \(needle) > \(shellQuoted(grepOut))"), ingestCommand(gzip)])
    let (zgrep, ingestGzip) = (gzipPair[0], gzipPair[1])
    removeDatabase(database)

    print(String(format: "\ningest corpus: %.0f MB, %d lines (%d bypass, %d Set-Mailbox), page-cached; gzip %.0f MB",
        megabytes, corpus.lines, corpus.bypassRecords, corpus.setMailboxRecords, Double(fileSize(corpus.gzipPath)) / 1_000_000))
    table.add("cat > /dev/null", cat, result: String(format: "%.0f MB/s", megabytes / cat.seconds))
    table.add("grep -c -F \(needle) > file", grep, result: String(format: "%.0f MB/s", megabytes / grep.seconds))
    table.add("ingest (default rules)", ingest, target: "peak RSS < 64 MiB",
        result: ResultTable.verdict(ingest.maxPeakRSSMiB, atMost: 64) + String(format: ", %.0f MB/s", megabytes / ingest.seconds))
    table.add("zcat | grep -c -F", zgrep)
    table.add("ingest .gz (default rules)", ingestGzip, target: "peak RSS < 64 MiB",
        result: ResultTable.verdict(ingestGzip.maxPeakRSSMiB, atMost: 64))
    let ratio = ingest.seconds / grep.seconds
    table.add("ingest / grep", value: String(format: "%.2f", ratio), target: "≤ 1.0",
        result: ResultTable.verdict(ratio, atMost: 1.0, strictly: false))
    let gzipRatio = ingestGzip.seconds / zgrep.seconds
    table.add("ingest .gz / zcat|grep", value: String(format: "%.2f", gzipRatio), target: "≤ 0.5",
        result: ResultTable.verdict(gzipRatio, atMost: 0.5, strictly: false))
}

func benchScale(_ options: BenchOptions, into table: inout ResultTable) throws {
    let scenario = ScaleScenario(
        accounts: options.accounts, changes: options.changes, registerEntries: options.registerEntries, directory: options.data)
    try scenario.prepare()
    let bin = shellQuoted(options.binary)
    let database = "\(options.data)/scale.sqlite"
    let db = shellQuoted(database)
    let register = shellQuoted(scenario.registerPath)
    let out = shellQuoted("\(options.data)/out.txt")
    let reports = "\(options.data)/scale-reports"
    removeDatabase(database)
    print("\nscale: \(options.accounts) accounts, \(options.changes) bypass changes in 2026-10, \(options.registerEntries)-entry register")
    let ingest = try ChildProcess.check("\(bin) ingest --db \(db) --json \(shellQuoted(scenario.logPath)) > \(out)")
    let detect = try ChildProcess.check("\(bin) detect --db \(db) --now 2026-11-01T00:00:00Z --json > \(out)")
    // 3: findings at or above --fail-on (expected: the scenario has unapproved bypasses).
    func driftStep(_ binary: String) -> Measurement.Step {
        Measurement.Step(
            commandLine: "\(binary) drift --db \(db) --allowlist \(register) --as-of 2026-10-31 --json > \(out)", allowed: [0, 3])
    }
    func reportStep(_ binary: String) -> Measurement.Step {
        Measurement.Step(
            prepare: { try? FileManager.default.removeItem(atPath: reports) },
            commandLine: "\(binary) report --db \(db) --allowlist \(register) --period 2026-10 --now 2026-11-02 "
                + "--out \(shellQuoted(reports)) --json > \(out)")
    }
    // The first run on a new register version parses it and stores the parse (`StoredAllowlistParse`); every later run
    // on an unchanged register takes it from the store. That first run is timed on its own, then the usual runs.
    let firstDrift = try ChildProcess.check(driftStep(bin).commandLine, allowing: [0, 3])
    // `--binary` runs last in each round, so the output and files measured below are its own.
    let binaries = (options.compare.map { [shellQuoted($0)] } ?? []) + [bin]
    let drifts = try Measurement.interleaved(options.runs, binaries.map(driftStep))
    let driftOutput = fileSize("\(options.data)/out.txt")
    let reportRuns = try Measurement.interleaved(options.runs, binaries.map(reportStep))
    let (drift, report) = (drifts[drifts.count - 1], reportRuns[reportRuns.count - 1])
    let folder = try reportFolder(under: reports)
    let sizes = ["report.json", "report.html", "report.md", "findings.csv", "changes.csv"].map { ($0, fileSize("\(folder)/\($0)")) }

    table.add("scale: ingest (setup, 1 run)", Measurement(runs: [ingest]))
    table.add("scale: detect (setup, 1 run)", Measurement(runs: [detect]))
    table.add("drift --as-of … --json", drift, target: "< 1 s, < 256 MiB",
        result: [ResultTable.verdict(drift.seconds, atMost: 1), ResultTable.verdict(drift.maxPeakRSSMiB, atMost: 256)]
            .joined(separator: ", "))
    table.add("  drift JSON output", value: String(format: "%.1f MB", Double(driftOutput) / 1_000_000))
    table.add("  drift, first run on this register (parse stored)", Measurement(runs: [firstDrift]))
    if options.compare != nil {
        table.add("  drift, --compare build, turn about", drifts[0],
            result: String(format: "--binary / --compare: %.2f", drift.seconds / drifts[0].seconds))
    }
    table.add("report --period 2026-10", report, target: "< 2 s, < 256 MiB",
        result: [ResultTable.verdict(report.seconds, atMost: 2), ResultTable.verdict(report.maxPeakRSSMiB, atMost: 256)]
            .joined(separator: ", "))
    if options.compare != nil {
        table.add("  report, --compare build, turn about", reportRuns[0],
            result: String(format: "--binary / --compare: %.2f", report.seconds / reportRuns[0].seconds))
    }
    for (name, size) in sizes {
        let megabytes = Double(size) / 1_000_000
        switch name {
        case "report.json":
            table.add("  \(name)", value: String(format: "%.1f MB", megabytes), target: "< 20 MB",
                result: ResultTable.verdict(megabytes, atMost: 20))
        case "report.html":
            table.add("  \(name)", value: String(format: "%.1f MB", megabytes), target: "< 10 MB",
                result: ResultTable.verdict(megabytes, atMost: 10))
        default:
            table.add("  \(name)", value: size == 0 ? "absent" : String(format: "%.1f MB", megabytes))
        }
    }
}

/// The report folder the report command wrote (`<out>/<period>[…]/`), found by its report.json.
func reportFolder(under root: String) throws -> String {
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let path = enumerator?.nextObject() as? String {
        if (path as NSString).lastPathComponent == "report.json" { return "\(root)/\((path as NSString).deletingLastPathComponent)" }
    }
    throw BenchError.failed("no report.json under \(root)")
}

func run() throws {
    let options = try BenchOptions(CommandLine.arguments)
    guard FileManager.default.isExecutableFile(atPath: ChildProcess.timeBinary) else {
        throw BenchError.failed("\(ChildProcess.timeBinary) (GNU time) is missing: run scripts/install-deps.sh")
    }
    try FileManager.default.createDirectory(atPath: options.data, withIntermediateDirectories: true)
    var table = ResultTable()
    if options.ingest { try benchIngest(options, into: &table) }
    if options.scale { try benchScale(options, into: &table) }
    var load = [0.0, 0.0, 0.0]
    _ = getloadavg(&load, 3)
    print(String(format: "\nload average before printing: %.2f %.2f %.2f (medians of %d runs each)\n", load[0], load[1], load[2], options.runs))
    print(table.printed())
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("bypass-auditor-bench: \(error)\n".utf8))
    exit(1)
}
