import Core
import Foundation

/// How the tool proves who it is to a cluster. The secret comes from a file or the environment (`SecretSource`),
/// never from an argument, and is only ever put into the `Authorization` header.
public enum ElasticsearchCredentials: Sendable {
    /// `Authorization: ApiKey …`: the encoded key Kibana shows, or `id:api_key` (encoded here).
    case apiKey(Secret)
    /// `Authorization: Basic …` from `user:password`.
    case basic(Secret)
    /// `Authorization: Bearer …` (a token from the token service or a JWT realm).
    case bearer(Secret)

    public static let apiKeyVariable = "BYPASS_AUDITOR_ES_API_KEY"
    public static let basicAuthVariable = "BYPASS_AUDITOR_ES_BASIC_AUTH"
    public static let bearerTokenVariable = "BYPASS_AUDITOR_ES_BEARER_TOKEN"

    /// The first credential given: an API key (file, else environment), else basic auth, else a bearer token.
    /// Nil when none is given (a cluster without security, or a test server).
    public static func resolve(
        apiKeyFile: String?, basicAuthFile: String?, bearerTokenFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ElasticsearchCredentials? {
        let files = [apiKeyFile, basicAuthFile, bearerTokenFile].compactMap { $0 }
        if files.count > 1 { throw ElasticsearchError.configuration("give one credential file, not \(files.count)") }
        let apiKey = SecretSource(file: apiKeyFile, environmentVariable: apiKeyVariable, label: "Elasticsearch API key")
        let basic = SecretSource(file: basicAuthFile, environmentVariable: basicAuthVariable, label: "Elasticsearch user:password")
        let bearer = SecretSource(file: bearerTokenFile, environmentVariable: bearerTokenVariable, label: "Elasticsearch bearer token")
        // A file named on the command line wins over any variable.
        if apiKeyFile != nil { return try apiKey.resolve(environment: environment).map(Self.apiKey) }
        if basicAuthFile != nil { return try basic.resolve(environment: environment).map(Self.basic) }
        if bearerTokenFile != nil { return try bearer.resolve(environment: environment).map(Self.bearer) }
        if let secret = try apiKey.resolve(environment: environment) { return .apiKey(secret) }
        if let secret = try basic.resolve(environment: environment) { return .basic(secret) }
        return try bearer.resolve(environment: environment).map(Self.bearer)
    }

    /// The `Authorization` header value.
    var headerValue: String {
        switch self {
        case .apiKey(let secret):
            let text = secret.reveal()
            // `id:api_key` is the unencoded form; the encoded form (base64) never contains a colon.
            return "ApiKey " + (text.contains(":") ? Data(text.utf8).base64EncodedString() : text)
        case .basic(let secret): return "Basic " + Data(secret.reveal().utf8).base64EncodedString()
        case .bearer(let secret): return "Bearer " + secret.reveal()
        }
    }
}

/// The few Elasticsearch REST endpoints the tool uses, over `RemoteHTTPClient` (retries on 429/5xx with
/// `Retry-After` there): open/close a point in time, search, bulk. Error answers become `ElasticsearchError`s that
/// name the index pattern, never the credentials.
public struct ElasticsearchClient: Sendable {
    public let http: RemoteHTTPClient
    /// The cluster's base URL (`https://host:9200`, possibly with a path prefix behind a proxy).
    public let baseURL: URL
    let credentials: ElasticsearchCredentials?

    public init(http: RemoteHTTPClient, baseURL: URL, credentials: ElasticsearchCredentials?) {
        self.http = http
        self.baseURL = baseURL
        self.credentials = credentials
    }

    /// `POST /{index}/_pit?keep_alive=…`: the point in time's id, or nil when the cluster has no point-in-time API
    /// (before 7.10, or a proxy that forbids it), in which case the caller pages without one.
    public func openPointInTime(index: String, keepAlive: String) async throws -> String? {
        let response = try await send(.post, path: "/\(Self.pathSegment(index))/_pit", query: ["keep_alive": keepAlive], body: nil)
        if [400, 405, 501].contains(response.status) || (response.status == 404 && Self.errorType(response) == nil) {
            return nil
        }
        let tree = try check(response, index: index)
        guard let id = tree["id"]?.stringValue else { throw ElasticsearchError.unexpectedResponse("the _pit response has no id") }
        return id
    }

    /// `DELETE /_pit`. Best effort: a point in time left open expires by itself after its keep-alive.
    public func closePointInTime(_ id: String) async {
        let body: JSONTree = ["id": .string(id)]
        _ = try? await send(.delete, path: "/_pit", query: [:], body: Data(body.jsonText().utf8))
    }

    /// `POST /_search` (with a point in time: the index is in the PIT) or `POST /{index}/_search`.
    public func search(index: String, body: JSONTree, usesPointInTime: Bool) async throws -> JSONTree {
        let path = usesPointInTime ? "/_search" : "/\(Self.pathSegment(index))/_search"
        let response = try await send(.post, path: path, query: [:], body: Data(body.jsonText().utf8))
        return try check(response, index: index)
    }

    /// `POST /_bulk` with `create` operations; each item's outcome by `_id`. An item the response does not mention
    /// is reported as failed (retryable), so nothing counts as delivered without an acknowledgement.
    public func bulkCreate(index: String, items: [ElasticsearchBulk.Item]) async throws -> [String: ElasticsearchBulk.Outcome] {
        guard !items.isEmpty else { return [:] }
        let body = ElasticsearchBulk.body(index: index, items: items)
        let response = try await send(
            .post, path: "/_bulk", query: [:], body: Data(body.utf8), contentType: "application/x-ndjson")
        var outcomes = try ElasticsearchBulk.outcomes(from: check(response, index: index))
        for item in items where outcomes[item.id] == nil {
            outcomes[item.id] = .failed(status: 0, reason: "not in the bulk response", retryable: true)
        }
        return outcomes
    }

    private func send(
        _ method: RemoteRequest.Method, path: String, query: [String: String], body: Data?,
        contentType: String = "application/json"
    ) async throws -> RemoteResponse {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + path
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let url = components.url else { throw ElasticsearchError.unexpectedResponse("cannot build a URL for \(path)") }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", contentType)) }
        if let credentials { headers.append(("Authorization", credentials.headerValue)) }
        return try await http.send(RemoteRequest(method: method, url: url, headers: headers, body: body))
    }

    /// The parsed body of a 2xx answer, or the error the status and the error body (`error.type`, `error.reason`)
    /// mean.
    private func check(_ response: RemoteResponse, index: String) throws -> JSONTree {
        let tree = try? JSONTree.parse(response.body)
        if response.isSuccess {
            guard let tree else { throw ElasticsearchError.unexpectedResponse("a \(response.status) answer that is not JSON") }
            return tree
        }
        let type = Self.errorType(response) ?? "error"
        let reason = tree?["error"]?["reason"]?.stringValue ?? tree?["error"]?.stringValue ?? response.bodyExcerpt
        // An expired or closed point in time: 404 search_context_missing_exception, at the top or as a root cause.
        if type == "search_context_missing_exception" || Self.rootCauses(tree).contains("search_context_missing_exception") {
            throw ElasticsearchError.pointInTimeExpired
        }
        switch (response.status, type) {
        case (401, _): throw ElasticsearchError.unauthorized(reason)
        case (403, _): throw ElasticsearchError.forbidden(index: index, reason: reason)
        case (404, "index_not_found_exception"): throw ElasticsearchError.indexNotFound(index: index, reason: reason)
        default: throw ElasticsearchError.status(response.status, type: type, reason: reason)
        }
    }

    private static func errorType(_ response: RemoteResponse) -> String? {
        (try? JSONTree.parse(response.body))?["error"]?["type"]?.stringValue
    }

    private static func rootCauses(_ tree: JSONTree?) -> [String] {
        (tree?["error"]?["root_cause"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
    }

    /// An index pattern as one path segment: commas and `*` stay (the API reads them), anything else is encoded.
    static func pathSegment(_ index: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return index.addingPercentEncoding(withAllowedCharacters: allowed) ?? index
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
