import ArgumentParser
import BypassAuditor
import Foundation

/// `detect`: evaluates every rule over every stored event it has not evaluated yet, and raises alerts.
struct DetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Run the detection rules over stored events and raise alerts.",
        discussion: Examples.after(
            """
            A catch-up run: every rule evaluates every stored event it has not evaluated before, whatever the \
            event's age, and raises every alert. Each (rule, event) pair alerts once, ever, so running detect \
            again raises nothing new. With --scheduled the run is one scheduled execution at --as-of, as Elastic \
            (and watch) runs the rule: only events inside each rule's look-back window (from; the time is \
            timestamp_override, else @timestamp), at most max_signals alerts per rule, the rest held back and \
            raised first by the next run; events outside the window wait for a later run. Exit status: 0 ok; \
            1 error (also when some alert could not be delivered with --to-elasticsearch: it is sent again next \
            run); 2 when some rule file could not be loaded (the others still ran).
            """, Examples.detect))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: DatabaseOptions

    @OptionGroup var rules: RulesOptions

    @OptionGroup var moment: AsOfOptions

    @Flag(name: .long, help: "Run as one scheduled execution at --as-of (look-back windows, max_signals).")
    var scheduled = false

    @Flag(name: .long, help: "Print the run, the rules and every stored alert (with \"new\") as JSON.")
    var json = false

    @Flag(name: .long, help: "Print the new alerts as NDJSON documents a SIEM can index (ECS + kibana.alert.*).")
    var ndjson = false

    @OptionGroup var cluster: ElasticsearchDeliveryOptions

    func validate() throws {
        if json && ndjson { throw ValidationError("--json and --ndjson cannot be combined") }
    }

    func run() async throws {
        let clock = moment.resolve()
        let ruleSet = try DetectionCommandSupport.loadRules(try rules.source(), quiet: json)
        let store = try database.open()
        var detector = Detector(database: store, rules: ruleSet)
        let progress = Console.showsProgress ? ProgressLine() : nil
        if let progress { detector.progress = { progress.show($0) } }
        let result = try detector.run(mode: scheduled ? .scheduled : .catchUp, now: clock)
        progress?.finish()
        if json {
            let newIDs = Set(result.newAlerts.map(\.id))
            let listings = JSONStreamedArray<AlertListing> { listing in
                try AlertStore.forEachAlert(in: store, tenant: nil) { alert in
                    try listing(AlertListing(alert: alert, isNew: newIDs.contains(alert.id)))
                }
            }
            try Console.json(
                DetectDocument(run: result.summary, rules: result.rules, ruleSet: ruleSet.manifest, alerts: listings))
        } else if ndjson {
            for alert in result.newAlerts {
                Console.out(
                    try AlertDocument.line(
                        for: alert, in: store, rule: ruleSet.rule(id: alert.ruleID)))
            }
            Console.err(AlertText.describe(result))
        } else {
            for alert in result.newAlerts { Console.out(AlertText.describe(alert, isNew: true)) }
            Console.out(AlertText.describe(result))
        }
        try await cluster.deliver(database: store, rules: ruleSet)
        if !ruleSet.errors.isEmpty { throw ExitStatus.inputSkipped }
    }
}

/// Rule loading as `detect` and `watch` share it: problems on stderr, a failure when no rule could be loaded.
enum DetectionCommandSupport {
    static func loadRules(_ source: RuleSource, quiet: Bool) throws -> RuleSet {
        let ruleSet: RuleSet
        do {
            ruleSet = try source.load()
        } catch {
            Console.err("error: rules: \(error)")
            throw ExitStatus.failure
        }
        for warning in ruleSet.warnings { Console.err("warning: \(AlertText.inert(warning.description))") }
        for error in ruleSet.errors { Console.err("error: \(AlertText.inert(error.description))") }
        guard !ruleSet.rules.isEmpty else {
            Console.err("error: no rule could be loaded from \(source)")
            throw ExitStatus.failure
        }
        if !quiet {
            Console.note(
                "Rules: \(ruleSet.rules.count) loaded from \(source) (rule set \(ruleSet.digest.prefix(12)))"
                    + (ruleSet.errors.isEmpty ? "" : ", \(ruleSet.errors.count) file(s) skipped"))
        }
        return ruleSet
    }
}
