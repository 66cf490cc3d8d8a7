import ArgumentParser
import BypassAuditor
import Foundation

/// How to reach and authenticate to a cluster. Credentials only from files or the environment
/// (BYPASS_AUDITOR_ES_API_KEY, BYPASS_AUDITOR_ES_BASIC_AUTH, BYPASS_AUDITOR_ES_BEARER_TOKEN), never as arguments.
struct ElasticsearchConnectionOptions: ParsableArguments {
    @Option(name: .customLong("api-key-file"), help: "File holding the Elasticsearch API key (encoded, or id:api_key). Default: $BYPASS_AUDITOR_ES_API_KEY.", completion: .file())
    var apiKeyFile: String?

    @Option(name: .customLong("basic-auth-file"), help: "File holding user:password for basic auth. Default: $BYPASS_AUDITOR_ES_BASIC_AUTH.", completion: .file())
    var basicAuthFile: String?

    @Option(name: .customLong("bearer-token-file"), help: "File holding a bearer token. Default: $BYPASS_AUDITOR_ES_BEARER_TOKEN.", completion: .file())
    var bearerTokenFile: String?

    @Option(name: .customLong("ca-cert"), help: "PEM file of the CA certificate(s) that signed the cluster's TLS certificate.", completion: .file())
    var caCert: String?

    func validate() throws {
        if [apiKeyFile, basicAuthFile, bearerTokenFile].compactMap({ $0 }).count > 1 {
            throw ValidationError("give one of --api-key-file, --basic-auth-file, --bearer-token-file")
        }
    }

    /// Checks a cluster URL before anything is opened: http(s), a host, no credentials in it (they would end up in
    /// shell history and `ps`).
    static func check(_ url: String?, option: String) throws {
        guard let url else { return }
        guard let base = URL(string: url), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw ValidationError("\(option): not an http(s) URL: \(TerminalText.safe(url))")
        }
        guard base.user == nil, base.password == nil else {
            throw ValidationError("\(option): put no credentials in the URL; use --api-key-file, --basic-auth-file or the environment")
        }
    }

    /// Runs `body` with a client for `url` (checked by `check`); credential and connection problems end the command
    /// with exit 1.
    func withClient<T: Sendable>(_ url: String, _ body: (ElasticsearchClient) async throws -> T) async throws -> T {
        guard let base = URL(string: url) else { throw ExitStatus.failure }
        do {
            let credentials = try ElasticsearchCredentials.resolve(
                apiKeyFile: apiKeyFile, basicAuthFile: basicAuthFile, bearerTokenFile: bearerTokenFile)
            return try await withRemoteHTTPClient(RemoteHTTPConfiguration(caCertificateFile: caCert)) { http in
                try await body(ElasticsearchClient(http: http, baseURL: base, credentials: credentials))
            }
        } catch let error as ElasticsearchError {
            Console.err("error: \(TerminalText.safe(error.description))")
            throw ExitStatus.failure
        } catch let error as RemoteError {
            Console.err("error: \(TerminalText.safe(error.description))")
            throw ExitStatus.failure
        } catch let error as SecretError {
            Console.err("error: \(TerminalText.safe(error.description))")
            throw ExitStatus.failure
        }
    }
}

/// `ingest --from-elasticsearch URL …`.
struct ElasticsearchIngestOptions: ParsableArguments {
    @Option(name: .customLong("from-elasticsearch"), help: "Read from this cluster (https://host:9200) instead of files.")
    var url: String?

    @Option(help: "Index pattern to search (with --from-elasticsearch).")
    var index: String = ElasticsearchIngest.Options.defaultIndex

    @Option(help: "Start of the window (UTC; default: the last checkpoint minus --overlap, first run 30 days back).")
    var since: Moment?

    @Option(help: "End of the window (UTC; default: now).")
    var until: Moment?

    @Option(help: "How far before the last checkpoint to start again, for records indexed late (e.g. 1h, 30m).")
    var overlap: String = "1h"

    @Option(name: .customLong("page-size"), help: .hidden)
    var pageSize: Int = 1000

    @OptionGroup var connection: ElasticsearchConnectionOptions

    func validate() throws {
        try ElasticsearchConnectionOptions.check(url, option: "--from-elasticsearch")
        if RuleDuration(overlap) == nil { throw ValidationError("--overlap: not a duration such as 1h or 30m: \(overlap)") }
        if pageSize < 1 { throw ValidationError("--page-size must be at least 1") }
    }

    var ingestOptions: ElasticsearchIngest.Options {
        ElasticsearchIngest.Options(
            index: index, since: since?.date, until: until?.date, overlap: RuleDuration(overlap)?.seconds ?? 3600,
            pageSize: pageSize)
    }
}

/// `detect|watch --to-elasticsearch URL [--alerts-index NAME]`.
struct ElasticsearchDeliveryOptions: ParsableArguments {
    @Option(name: .customLong("to-elasticsearch"), help: "Send every alert not yet acknowledged to this cluster (_bulk create).")
    var url: String?

    @Option(name: .customLong("alerts-index"), help: "Data stream or index the alerts go to.")
    var alertsIndex: String = ElasticsearchAlertDelivery.defaultIndex

    @OptionGroup var connection: ElasticsearchConnectionOptions

    func validate() throws {
        try ElasticsearchConnectionOptions.check(url, option: "--to-elasticsearch")
    }

    /// Delivers the pending alerts when `--to-elasticsearch` was given; says what happened on stderr. With
    /// `failOnUndelivered`, throws `ExitStatus.failure` when some alert stays undelivered (it is sent again next run).
    func deliver(database: AuditDatabase, rules: RuleSet, failOnUndelivered: Bool = true) async throws {
        guard let url else { return }
        let summary: ElasticsearchAlertDelivery.Summary
        do {
            summary = try await connection.withClient(url) { client in
                try await ElasticsearchAlertDelivery(client: client, database: database, rules: rules, index: alertsIndex).deliver()
            }
        } catch let error as ExitCode where !failOnUndelivered {
            // `watch` goes on: the cause is on stderr already and the alerts stay pending for the next cycle.
            _ = error
            Console.err("warning: alerts not sent this cycle; they are sent again next cycle")
            return
        }
        for failure in summary.failed {
            Console.err(
                "error: alert \(failure.alertId) (\(failure.documentId)) not delivered: \(TerminalText.safe(failure.reason)); "
                    + "it is sent again by the next run")
        }
        Console.err("Delivered \(summary.delivered) alert(s) to \(TerminalText.safe(alertsIndex)); \(summary.failed.count) not delivered.")
        if failOnUndelivered, !summary.failed.isEmpty { throw ExitStatus.failure }
    }
}
