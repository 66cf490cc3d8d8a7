import Core
import Foundation

/// Gets and caches the app-only access token for the Management Activity API (OAuth 2.0 client-credentials grant
/// against the tenant's token endpoint). A token is reused until shortly before it expires.
public actor AccessTokenProvider {
    public let tenant: String
    public let clientID: String
    private let credential: ClientCredential
    private let endpoints: ManagementEndpoints
    private let http: RemoteHTTPClient
    /// A token with less than this left is renewed: a blob download started with it must not see it expire.
    private let renewBefore: TimeInterval
    private var cached: (token: Secret, expires: Date)?
    /// How many tokens were requested (shown in `collect --json`, and for tests of the cache).
    public private(set) var tokensIssued = 0

    public init(
        tenant: String, clientID: String, credential: ClientCredential, endpoints: ManagementEndpoints,
        http: RemoteHTTPClient, renewBefore: TimeInterval = 300
    ) {
        self.tenant = tenant
        self.clientID = clientID
        self.credential = credential
        self.endpoints = endpoints
        self.http = http
        self.renewBefore = renewBefore
    }

    /// A valid bearer token, from the cache or the token endpoint.
    public func token(now: Date = Date()) async throws -> Secret {
        if let cached, cached.expires.timeIntervalSince(now) > renewBefore { return cached.token }
        let url = endpoints.tokenURL(tenant: tenant)
        var form: [(String, String)] = [
            ("client_id", clientID), ("scope", endpoints.scope), ("grant_type", "client_credentials"),
        ]
        switch credential {
        case .secret(let secret):
            form.append(("client_secret", secret.reveal()))
        case .certificate(let certificate):
            let assertion = try ClientAssertion(clientID: clientID, audience: url, issuedAt: now).signed(with: certificate)
            form.append(("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
            form.append(("client_assertion", assertion))
        }
        let request = RemoteRequest(
            method: .post, url: url, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Data(Self.formEncode(form).utf8), maxResponseBytes: 1 << 20)
        let response = try await http.send(request)
        guard response.isSuccess else {
            let body = (try? JSONDecoder().decode(TokenError.self, from: response.body))
            throw ActivityFeedError.tokenRefused(
                tenant: tenant, status: response.status, error: TerminalText.safe(body?.error ?? "no error code"),
                detail: TerminalText.safe(body?.errorDescription ?? response.bodyExcerpt))
        }
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: response.body), !answer.accessToken.isEmpty
        else { throw ActivityFeedError.malformedResponse(url: request.redactedURL, reason: "no access_token") }
        let token = Secret(answer.accessToken)
        cached = (token, now.addingTimeInterval(TimeInterval(answer.expiresIn)))
        tokensIssued += 1
        return token
    }

    /// Forgets the cached token (after the API refused it, so the next request gets a fresh one).
    public func invalidate() { cached = nil }

    /// `application/x-www-form-urlencoded` as HTML defines it: unreserved characters as they are, the rest
    /// percent-encoded (so `+`, `/`, `=` in a secret or assertion survive).
    static func formEncode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")
        return fields.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name) + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }

    private struct TokenAnswer: Decodable {
        var accessToken: String
        var expiresIn: Int
        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    private struct TokenError: Decodable {
        var error: String?
        var errorDescription: String?
        enum CodingKeys: String, CodingKey {
            case error
            case errorDescription = "error_description"
        }
    }
}
