import Core
import Foundation

/// Why collecting from the Management Activity API failed. Messages name the tenant, content type and host, never a
/// secret, token or assertion.
public enum ActivityFeedError: Error, CustomStringConvertible, Sendable {
    /// Neither a secret file, the environment variable, nor a certificate was given.
    case noCredential(variable: String)
    case invalidCertificate(path: String, reason: String)
    /// The identity platform refused the credentials (`error`/`error_description` from its answer, which carry no
    /// secret).
    case tokenRefused(tenant: String, status: Int, error: String, detail: String)
    /// 401/403 from the API: the token is valid but the app may not read the feed.
    case notAuthorized(tenant: String, contentType: ActivityContentType?, status: Int, detail: String)
    /// Any other answer the API documents as an error.
    case apiError(tenant: String, contentType: ActivityContentType?, url: String, status: Int, detail: String)
    /// A response that is not what the API reference describes.
    case malformedResponse(url: String, reason: String)
    /// `NextPageUri` pointing somewhere else than the API host: not followed, the token would go with it.
    case foreignNextPage(url: String)

    public var description: String {
        switch self {
        case .noCredential(let variable):
            "no client credential: give --client-secret-file FILE, set $\(variable), or give --certificate and "
                + "--private-key (preferred)"
        case .invalidCertificate(let path, let reason):
            "client certificate \(path): \(reason)"
        case .tokenRefused(let tenant, let status, let error, let detail):
            "tenant \(tenant): the identity platform refused the client credentials (HTTP \(status) \(error)): "
                + "\(detail)"
        case .notAuthorized(let tenant, let contentType, let status, let detail):
            "tenant \(tenant)\(contentType.map { ", content type \($0)" } ?? ""): HTTP \(status) from the Management "
                + "Activity API. The app needs the Office 365 Management APIs application permission "
                + "ActivityFeed.Read with admin consent granted in this tenant (and unified audit logging turned on). "
                + "Server said: \(detail)"
        case .apiError(let tenant, let contentType, let url, let status, let detail):
            "tenant \(tenant)\(contentType.map { ", content type \($0)" } ?? ""): \(url): HTTP \(status): \(detail)"
        case .malformedResponse(let url, let reason):
            "\(url): unexpected response: \(reason)"
        case .foreignNextPage(let url):
            "NextPageUri points to another host (\(url)); not followed so the access token is not sent there"
        }
    }
}

/// The `{"error": {"code": "AF…", "message": …}}` body the API answers errors with.
struct ActivityFeedErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String?
        var message: String?
    }
    var error: Detail?

    /// `code: message` from `body`, or the start of the body as text.
    static func describe(_ response: RemoteResponse) -> (code: String?, text: String) {
        if let parsed = try? JSONDecoder().decode(Self.self, from: response.body), let detail = parsed.error {
            let text = [detail.code, detail.message].compactMap { $0 }.joined(separator: ": ")
            return (detail.code, TerminalText.safe(text))
        }
        return (nil, TerminalText.safe(response.bodyExcerpt))
    }
}
