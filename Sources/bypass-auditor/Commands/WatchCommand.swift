import ArgumentParser
import BypassAuditor
import Foundation

/// `watch`: follows log files as Filebeat or an export job writes them, ingesting and detecting every cycle.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow log files or folders: ingest what is new and raise alerts, every interval.",
        discussion: Examples.after(
            """
            Each cycle reads only what is new in each file (checkpoints per file survive restarts; a rotated or \
            truncated file is noticed), then runs every rule as Elastic schedules it: over events whose time \
            (timestamp_override, else @timestamp) lies in the rule's look-back window. New alerts are printed \
            (or written as NDJSON), and with --to-elasticsearch sent to the cluster (an alert not acknowledged is \
            reported and sent again next cycle). With --collect, each cycle first collects from the Office 365 \
            Management Activity API (same options as `collect`). SIGINT or SIGTERM stops the watch at the end of \
            the current cycle.
            """, Examples.watch))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: CreatingDatabaseOptions

    @OptionGroup var rules: RulesOptions

    @Option(name: .long, help: "Time between cycles, e.g. 5m, 30s (default: the shortest rule interval).")
    var interval: String?

    @Option(name: .long, help: "Stop after this many cycles (default: run until SIGINT/SIGTERM).")
    var cycles: Int?

    @Flag(name: .long, help: "Write new alerts as NDJSON documents (ECS + kibana.alert.*) to stdout, or to --output.")
    var ndjson = false

    @Option(name: .long, help: "Append the NDJSON alert documents to this file instead of stdout.", completion: .file())
    var output: String?

    @OptionGroup var inputFormat: InputFormatOptions

    var format: LogFormat? { inputFormat.format }

    @OptionGroup var cluster: ElasticsearchDeliveryOptions

    @Flag(help: "Collect from the Office 365 Management Activity API every cycle (see `collect --help`).")
    var collect = false

    @OptionGroup var api: CollectOptions

    @Argument(help: "Log files or folders to follow (optional with --collect).", completion: .file())
    var paths: [String] = []

    func validate() throws {
        if let interval, RuleDuration(interval) == nil {
            throw ValidationError("--interval: not a duration such as 5m or 30s: \(interval)")
        }
        if let cycles, cycles < 1 { throw ValidationError("--cycles must be at least 1") }
        if paths.isEmpty, !collect { throw ValidationError("give at least one file or folder to watch, or --collect") }
        if collect { try api.check() }
    }

    func run() async throws {
        let ruleSet = try DetectionCommandSupport.loadRules(try rules.source(), quiet: false)
        let store = try database.open()
        let collector = try collect
            ? ActivityFeedCollector(database: store, interest: ruleSet.eventInterest, request: api.request(since: nil))
            : nil
        let session = WatchSession(
            database: store, rules: ruleSet, paths: paths, ingestOptions: Ingester.Options(format: format))
        let period = interval.flatMap(RuleDuration.init) ?? session.defaultInterval
        for rule in session.rulesLookingBackLessThan(period) where rule.timestampOverride == nil {
            Console.err(
                "warning: \"\(AlertText.inert(rule.name))\" looks back \(rule.lookBack) but cycles are \(period) "
                    + "apart: events between windows are deferred to the next `detect`")
        }
        let alertSink = try AlertSink(path: output, enabled: ndjson || output != nil)
        // Progress goes to stderr when stdout carries NDJSON.
        let toStandardError = alertSink.usesStandardOutput
        let say: (String) -> Void = { text in toStandardError ? Console.err(text) : Console.out(text) }
        let signals = TerminationSignals()
        defer { signals.stopListening() }
        say("Watching \(paths.count) path\(paths.count == 1 ? "" : "s") every \(period) (SIGINT/SIGTERM to stop).")

        var cycle = 0
        while signals.received == nil {
            cycle += 1
            let result: WatchCycleResult
            if let collector {
                result = try await session.runCycle(collecting: collector)
            } else {
                result = try session.runCycle()
            }
            try report(result, cycle: cycle, ruleSet: ruleSet, store: store, sink: alertSink, say: say)
            try await cluster.deliver(database: store, rules: ruleSet, failOnUndelivered: false)
            if let cycles, cycle >= cycles { break }
            signals.wait(upTo: period.seconds)
        }
        if let signal = signals.received {
            say("Stopped by signal \(signal) after \(cycle) cycle\(cycle == 1 ? "" : "s").")
        }
    }

    private func report(
        _ result: WatchCycleResult, cycle: Int, ruleSet: RuleSet, store: AuditDatabase, sink: AlertSink,
        say: (String) -> Void
    ) throws {
        for problem in result.pathProblems { Console.err("warning: \(AlertText.inert(problem.description))") }
        if let failure = result.collectFailure { Console.err("warning: collect failed this cycle: \(failure)") }
        if let collected = result.collected {
            let text = CollectText.lines(collected)
            text.err.forEach(Console.err)
            text.out.forEach(say)
        }
        for error in result.ingest.errors { Console.err("skipped: \(AlertText.inert(error.description))") }
        if result.ingest.errorsNotListed > 0 {
            Console.err("skipped: \(result.ingest.errorsNotListed) more record(s) not listed")
        }
        let ingest = result.ingest
        say(
            "Cycle \(cycle) at \(UTCTimestamp.format(result.detection.summary.now)): \(ingest.records) new record(s) "
                + "read, \(ingest.eventsStored) event(s) stored, \(ingest.skipped) skipped; "
                + "\(result.detection.summary.alertsRaised) new alert(s).")
        for alert in result.detection.newAlerts {
            if sink.enabled {
                sink.write(try AlertDocument.line(for: alert, in: store, rule: ruleSet.rule(id: alert.ruleID)))
            } else {
                say(AlertText.describe(alert, isNew: true))
            }
        }
        for outcome in result.detection.rulesHoldingBack {
            say(
                "Held back: \"\(AlertText.inert(outcome.ruleName))\" reached max_signals (\(outcome.maxSignals)); "
                    + "\(outcome.heldBack) alert(s) will be raised next cycle.")
        }
    }
}
