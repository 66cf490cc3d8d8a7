import Core
import Foundation

/// One content blob as `subscriptions/content` lists it.
public struct ActivityContent: Sendable, Hashable, Codable {
    public var contentType: String
    public var contentId: String
    public var contentUri: String
    /// When the blob became available (the listing's time axis).
    public var contentCreated: String
    /// When the API stops serving it (7 days after `contentCreated`).
    public var contentExpiration: String?
}

/// A subscription as `subscriptions/list` and `subscriptions/start` return it.
public struct ActivitySubscription: Sendable, Hashable, Codable {
    public var contentType: String
    /// `enabled` or `disabled`.
    public var status: String
    public var isEnabled: Bool { status.caseInsensitiveCompare("enabled") == .orderedSame }
}

/// The Office 365 Management Activity API operations `collect` uses, over `RemoteHTTPClient` (retries, 429 with
/// `Retry-After`, 5xx back-off) with a bearer token from `AccessTokenProvider`.
public struct ActivityFeedClient: Sendable {
    public let tenant: String
    public let endpoints: ManagementEndpoints
    let http: RemoteHTTPClient
    let tokens: AccessTokenProvider

    public init(tenant: String, endpoints: ManagementEndpoints, http: RemoteHTTPClient, tokens: AccessTokenProvider) {
        self.tenant = tenant
        self.endpoints = endpoints
        self.http = http
        self.tokens = tokens
    }

    /// `PublisherIdentifier`: the documented way to have requests counted against the tenant's own quota.
    private var publisher: URLQueryItem { URLQueryItem(name: "PublisherIdentifier", value: tenant) }

    /// `GET subscriptions/list`. `purpose` is the content type the caller is about to collect, named in errors.
    public func subscriptions(for purpose: ActivityContentType? = nil) async throws -> [ActivitySubscription] {
        let url = endpoints.feedURL(tenant: tenant, operation: "subscriptions/list", query: [publisher])
        let response = try await send(.get, url, contentType: purpose)
        return try decode([ActivitySubscription].self, response, url: url)
    }

    /// `POST subscriptions/start?contentType=…`. Starting one already enabled is answered with an error the API
    /// documents (AF20024); that counts as enabled.
    public func startSubscription(_ contentType: ActivityContentType) async throws {
        let url = endpoints.feedURL(
            tenant: tenant, operation: "subscriptions/start",
            query: [URLQueryItem(name: "contentType", value: contentType.rawValue), publisher])
        do {
            _ = try await send(.post, url, contentType: contentType, body: Data())
        } catch ActivityFeedError.apiError(_, _, _, _, let detail) where detail.hasPrefix("AF20024") {
            return
        }
    }

    /// One page of `GET subscriptions/content`, and the `NextPageUri` of the next one, if any.
    public struct ContentPage: Sendable {
        public var contents: [ActivityContent]
        public var next: URL?
    }

    /// `GET subscriptions/content` for one window (at most 24 hours, within the last 7 days): every page,
    /// following `NextPageUri` until it is absent.
    public func content(_ contentType: ActivityContentType, from start: Date, to end: Date) async throws
        -> [ActivityContent]
    {
        var url: URL? = endpoints.feedURL(
            tenant: tenant, operation: "subscriptions/content",
            query: [
                URLQueryItem(name: "contentType", value: contentType.rawValue),
                URLQueryItem(name: "startTime", value: Self.apiTime(start)),
                URLQueryItem(name: "endTime", value: Self.apiTime(end)), publisher,
            ])
        var all: [ActivityContent] = []
        while let page = url {
            let response = try await send(.get, page, contentType: contentType)
            all += try decode([ActivityContent].self, response, url: page)
            url = try nextPage(response)
        }
        return all
    }

    /// The records of one blob, as the raw JSON array the API serves.
    public func blob(_ content: ActivityContent, contentType: ActivityContentType) async throws -> Data {
        guard let url = URL(string: content.contentUri), isAPIHost(url) else {
            throw ActivityFeedError.foreignNextPage(url: content.contentUri)
        }
        return try await send(.get, url, contentType: contentType).body
    }

    private func nextPage(_ response: RemoteResponse) throws -> URL? {
        guard let text = response.header("NextPageUri"), !text.isEmpty else { return nil }
        guard let url = URL(string: text), isAPIHost(url) else { throw ActivityFeedError.foreignNextPage(url: text) }
        return url
    }

    /// Only URLs on the API host get the bearer token.
    private func isAPIHost(_ url: URL) -> Bool {
        url.scheme == endpoints.manageBaseURL.scheme && url.host == endpoints.manageBaseURL.host
            && url.port == endpoints.manageBaseURL.port
    }

    private func send(
        _ method: RemoteRequest.Method, _ url: URL, contentType: ActivityContentType?, body: Data? = nil
    ) async throws -> RemoteResponse {
        var retriedWithFreshToken = false
        while true {
            let token = try await tokens.token()
            var request = RemoteRequest(
                method: method, url: url, headers: [("Authorization", "Bearer " + token.reveal())], body: body)
            if body != nil { request.headers.append(("Content-Type", "application/json")) }
            let response = try await http.send(request)
            if response.isSuccess { return response }
            let (_, detail) = ActivityFeedErrorBody.describe(response)
            if response.status == 401 || response.status == 403 {
                // A token revoked or expired early earns one fresh try; a second refusal is about permissions.
                if response.status == 401, !retriedWithFreshToken {
                    retriedWithFreshToken = true
                    await tokens.invalidate()
                    continue
                }
                throw ActivityFeedError.notAuthorized(
                    tenant: tenant, contentType: contentType, status: response.status, detail: detail)
            }
            throw ActivityFeedError.apiError(
                tenant: tenant, contentType: contentType, url: request.redactedURL, status: response.status,
                detail: detail)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: RemoteResponse, url: URL) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw ActivityFeedError.malformedResponse(
                url: RemoteRequest(method: .get, url: url).redactedURL, reason: "\(error)")
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC, the form the reference shows for `startTime`/`endTime`.
    static func apiTime(_ date: Date) -> String {
        String(UTCTimestamp.format(date).prefix(19))
    }

    /// Parses `contentCreated`/`contentExpiration` (`2015-05-23T17:35:00.000Z`, fractions optional).
    public static func parseTime(_ text: String) -> Date? {
        UTCTimestamp.parse(text)
    }
}
