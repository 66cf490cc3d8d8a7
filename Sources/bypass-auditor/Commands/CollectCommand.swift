import ArgumentParser
import BypassAuditor
import Foundation

/// `collect`: pulls audit records straight from the Office 365 Management Activity API into the store.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect audit records from the Office 365 Management Activity API (no export needed).",
        discussion: Examples.after(
            """
            Signs in as an app (client credentials: a certificate, preferred, or a client secret from a file or \
            $BYPASS_AUDITOR_CLIENT_SECRET), starts the content type's subscription when needed, lists content in \
            windows of at most 24 hours over the last 7 days, and stores each blob's records as `ingest` stores a \
            file. Each blob is checkpointed by content id, so a rerun fetches nothing twice and a run cut short \
            resumes. The app needs the Office 365 Management APIs application permission ActivityFeed.Read, with \
            admin consent. Exit 0 when done, 2 when records were skipped, 1 on failure.
            """, Examples.collect))

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: CreatingDatabaseOptions

    @OptionGroup var rules: RulesOptions

    @OptionGroup var api: CollectOptions

    @Option(help: "Collect from this time (UTC; a date means its start) instead of the checkpoint; at most 7 days back.")
    var since: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        try api.check()
        if let since, UTCTimestamp.parse(since) == nil { throw ValidationError("--since: not a time: \(since)") }
    }

    func run() async throws {
        let request: ActivityCollectRequest
        do {
            request = try api.request(since: since.flatMap(UTCTimestamp.parse))
        } catch let error as ActivityFeedError {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        } catch let error as SecretError {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
        let store = try database.open()
        let (interest, _) = try RuleInterestLoader.load(try rules.source())
        let summary: ActivityCollectSummary
        do {
            summary = try await ActivityFeedCollector(database: store, interest: interest, request: request).run()
        } catch let error as ActivityFeedError {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        } catch let error as RemoteError {
            Console.err("error: tenant \(request.tenant): \(error)")
            throw ExitStatus.failure
        }
        let text = CollectText.lines(summary)
        for line in text.err { Console.err(line) }
        if json {
            try Console.json(summary)
        } else {
            for line in text.out { Console.out(line) }
        }
        for warning in IngestCommand.tenantWarnings(summary.ingest) { Console.err("WARNING: " + warning) }
        if summary.ingest.skipped > 0 { throw ExitStatus.inputSkipped }
    }
}
