import Foundation

/// Why a remote exchange failed. Descriptions name the host and path, never credentials, query strings or bodies
/// sent.
public enum RemoteError: Error, CustomStringConvertible, Sendable {
    /// No response: connection refused, TLS failure, timeout. `attempts` says how often it was tried.
    case transport(url: String, reason: String, attempts: Int)
    /// The server kept answering with a status worth retrying (429, 502, 503, 504) until the attempts ran out.
    case retriesExhausted(url: String, status: Int, attempts: Int)
    /// The response body was larger than the request allowed.
    case responseTooLarge(url: String, limit: Int)
    /// A CA certificate file that cannot be read or holds no PEM certificate.
    case invalidCACertificate(path: String, reason: String)

    public var description: String {
        switch self {
        case .transport(let url, let reason, let attempts):
            "\(url): no response after \(attempts) attempt(s): \(reason)"
        case .retriesExhausted(let url, let status, let attempts):
            "\(url): still HTTP \(status) after \(attempts) attempt(s); try again later"
        case .responseTooLarge(let url, let limit):
            "\(url): response larger than \(limit) bytes"
        case .invalidCACertificate(let path, let reason):
            "CA certificate \(path): \(reason)"
        }
    }
}
