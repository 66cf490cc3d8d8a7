/// Why a cluster request failed, in words that name what to fix; never holds a credential.
public enum ElasticsearchError: Error, Sendable, CustomStringConvertible {
    /// 401: the credentials were refused.
    case unauthorized(String)
    /// 403: the credentials lack a privilege on the index pattern.
    case forbidden(index: String, reason: String)
    /// 404 `index_not_found_exception`: nothing matches the index pattern.
    case indexNotFound(index: String, reason: String)
    /// The point in time expired or was closed (404 `search_context_missing_exception`): reopen it.
    case pointInTimeExpired
    /// Any other error status, with the cluster's error type and reason.
    case status(Int, type: String, reason: String)
    /// A response the documented API does not produce.
    case unexpectedResponse(String)
    /// The connection settings contradict each other (two credentials given).
    case configuration(String)

    public var description: String {
        switch self {
        case .unauthorized(let reason): "the cluster refused the credentials (401): \(reason)"
        case .forbidden(let index, let reason): "not allowed to read or write \(index) (403): \(reason)"
        case .indexNotFound(let index, let reason): "no index matches \(index) (404): \(reason)"
        case .pointInTimeExpired: "the point in time expired"
        case .status(let code, let type, let reason): "the cluster answered \(code) \(type): \(reason)"
        case .unexpectedResponse(let detail): "unexpected response from the cluster: \(detail)"
        case .configuration(let detail): "Elasticsearch connection: \(detail)"
        }
    }
}
