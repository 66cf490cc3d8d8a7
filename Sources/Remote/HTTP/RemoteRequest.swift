import Foundation

/// One HTTP request to a remote source or sink (an Elasticsearch cluster, the Management Activity API).
///
/// Header values may carry credentials (`Authorization`): nothing here prints them, and `RemoteError` never
/// includes a request's headers or body.
public struct RemoteRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE", head = "HEAD"
    }

    public var method: Method
    public var url: URL
    /// Header fields in the order they are sent; a name may repeat.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// The largest response body accepted; a larger one fails with `RemoteError.responseTooLarge`.
    public var maxResponseBytes: Int

    public init(
        method: Method, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
        maxResponseBytes: Int = 256 * 1024 * 1024
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.maxResponseBytes = maxResponseBytes
    }

    /// A JSON request: the body encoded as UTF-8 with `Content-Type: application/json`.
    public static func json(
        _ method: Method, _ url: URL, body: Data, headers: [(name: String, value: String)] = []
    ) -> RemoteRequest {
        RemoteRequest(
            method: method, url: url, headers: headers + [("Content-Type", "application/json")], body: body)
    }

    /// The URL without its query, for messages: query strings can carry tokens or tenant-specific ids.
    public var redactedURL: String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? url.path
    }
}

/// One HTTP response, its body read whole.
public struct RemoteResponse: Sendable {
    public var status: Int
    /// Header fields as received; look them up with `header(_:)` (names are case-insensitive).
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The start of the body as text, for error messages (bounded: a server may answer with megabytes).
    public var bodyExcerpt: String {
        let prefix = body.prefix(512)
        let text = String(decoding: prefix, as: UTF8.self)
        return body.count > prefix.count ? text + "…" : text
    }
}
