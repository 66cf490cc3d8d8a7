import Crypto
import Foundation
import Synchronization
import _CryptoExtras

/// The Microsoft identity platform token endpoint and the Office 365 Management Activity API, on 127.0.0.1, as
/// Microsoft's references describe them ("Office 365 Management Activity API reference", "Microsoft identity
/// platform and the OAuth 2.0 client credentials flow", "certificate credentials"):
///
/// - `POST /{tenant}/oauth2/v2.0/token`: `grant_type=client_credentials`, `client_id`, `scope`, and either
///   `client_secret` or `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` with a
///   `client_assertion` JWT (RS256, `x5t` of the registered certificate, `aud` = this endpoint, `iss` = `sub` =
///   client id, not expired) whose signature is checked with the certificate's public key. Errors are
///   `{"error", "error_description"}` with the AADSTS codes.
/// - `…/api/v1.0/{tenant}/activity/feed/subscriptions/list|start|content` and the blobs (`…/feed/audit/{id}`),
///   with a bearer token: content listed by when it became available, `startTime`/`endTime` both or neither, at most
///   24 hours apart, start no more than 7 days back (else AF20055), pages chained by the `NextPageUri` header,
///   `AF20022` when the content type has no subscription, `AF20024` when starting one already enabled.
public final class ManagementActivityTestServer: Sendable {
    public struct Blob: Sendable {
        public var contentId: String
        /// When the content became available.
        public var created: Date
        /// The JSON array of records served for it.
        public var body: Data

        public init(contentId: String, created: Date, body: Data) {
            self.contentId = contentId
            self.created = created
            self.body = body
        }
    }

    /// How the server misbehaves, for the fault tests.
    public struct Faults: Sendable {
        /// Blobs answered once with 429 and `Retry-After: 1` before being served.
        public var throttleOnce: Set<String> = []
        /// Blobs that never answer (the client is killed while waiting).
        public var stall: Set<String> = []
        /// Every API request answered 401 (the app lacks ActivityFeed.Read or consent).
        public var unauthorized = false
        public init() {}
    }

    private struct State {
        var blobs: [Blob] = []
        var enabled: Set<String>
        var tokens: Set<String> = []
        var faults = Faults()
        var throttled: Set<String> = []
        var served: [String] = []
        var tokensIssued = 0
        var contentQueries: [(start: Date, end: Date)] = []
    }

    public let tenant: String
    public let clientID: String
    public let clientSecret: String?
    public let certificate: TestClientCertificate?
    public let pageSize: Int
    public let tokenLifetime: Int
    private let state: Mutex<State>
    private let serverBox = Mutex<LoopbackHTTPServer?>(nil)

    public var baseURL: URL { serverBox.withLock { $0!.baseURL } }
    public var requests: [LoopbackHTTPRequest] { serverBox.withLock { $0!.requests } }

    public init(
        tenant: String, clientID: String, clientSecret: String? = nil, certificate: TestClientCertificate? = nil,
        enabled: Set<String> = [], pageSize: Int = 3, tokenLifetime: Int = 3599
    ) async throws {
        self.tenant = tenant
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.certificate = certificate
        self.pageSize = pageSize
        self.tokenLifetime = tokenLifetime
        state = Mutex(State(enabled: enabled))
        let server = try await LoopbackHTTPServer { [weak self] request in
            guard let self else { return LoopbackHTTPResponse(status: 503) }
            return await self.handle(request)
        }
        serverBox.withLock { $0 = server }
    }

    public func stop() async {
        let server = serverBox.withLock { $0 }
        await server?.stop()
    }

    public func add(_ blob: Blob) { state.withLock { $0.blobs.append(blob) } }
    public func setFaults(_ faults: Faults) { state.withLock { $0.faults = faults } }
    /// Content ids of blobs served (200), in order; a blob served twice appears twice.
    public var blobsServed: [String] { state.withLock { $0.served } }
    public var tokensIssued: Int { state.withLock { $0.tokensIssued } }
    public var enabledSubscriptions: Set<String> { state.withLock { $0.enabled } }
    public var contentQueries: [(start: Date, end: Date)] { state.withLock { $0.contentQueries } }

    // MARK: Routing

    private func handle(_ request: LoopbackHTTPRequest) async -> LoopbackHTTPResponse {
        let path = request.path
        if request.method == "POST", path == "/\(tenant)/oauth2/v2.0/token" { return token(request) }
        let feed = "/api/v1.0/\(tenant)/activity/feed/"
        guard path.hasPrefix(feed) else { return Self.apiError(404, "AF20001", "Unknown resource") }
        let operation = String(path.dropFirst(feed.count))
        let (unauthorized, authorized) = state.withLock { state in
            (state.faults.unauthorized, request.header("Authorization").map { header in
                header.hasPrefix("Bearer ") && state.tokens.contains(String(header.dropFirst(7)))
            } ?? false)
        }
        guard authorized, !unauthorized else {
            return Self.apiError(
                401, "AF10001",
                "The permission set () sent in the request does not include the expected permission ActivityFeed.Read.")
        }
        switch (request.method, operation) {
        case ("GET", "subscriptions/list"):
            let enabled = state.withLock { $0.enabled }
            return .json(enabled.sorted().map { ["contentType": $0, "status": "enabled", "webhook": NSNull()] })
        case ("POST", "subscriptions/start"):
            guard let type = request.query["contentType"] else {
                return Self.apiError(400, "AF20020", "contentType is required")
            }
            let wasEnabled = state.withLock { !$0.enabled.insert(type).inserted }
            if wasEnabled { return Self.apiError(400, "AF20024", "The subscription is already enabled. No property change.") }
            return .json(["contentType": type, "status": "enabled", "webhook": NSNull()])
        case ("GET", "subscriptions/content"):
            return content(request)
        case ("GET", let blobPath) where blobPath.hasPrefix("audit/"):
            return await blob(id: String(blobPath.dropFirst("audit/".count)))
        default:
            return Self.apiError(404, "AF20001", "Unknown operation")
        }
    }

    // MARK: Token endpoint

    private func token(_ request: LoopbackHTTPRequest) -> LoopbackHTTPResponse {
        let form = Self.parseForm(request.body)
        guard form["grant_type"] == "client_credentials" else {
            return Self.tokenError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
        }
        guard form["client_id"] == clientID else {
            return Self.tokenError(400, "unauthorized_client", "AADSTS700016: Application not found in the directory.")
        }
        guard form["scope"] == "https://manage.office.com/.default" else {
            return Self.tokenError(400, "invalid_scope", "AADSTS70011: The provided value for scope is not valid.")
        }
        if let secret = form["client_secret"] {
            guard secret == clientSecret else {
                return Self.tokenError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
            }
        } else if form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            let assertion = form["client_assertion"]
        {
            let audience = baseURL.absoluteString + "/\(tenant)/oauth2/v2.0/token"
            if let problem = verify(assertion: assertion, audience: audience) {
                return Self.tokenError(401, "invalid_client", problem)
            }
        } else {
            return Self.tokenError(
                401, "invalid_client",
                "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
        }
        let token = UUID().uuidString
        state.withLock {
            $0.tokens.insert(token)
            $0.tokensIssued += 1
        }
        return .json(["token_type": "Bearer", "expires_in": tokenLifetime, "ext_expires_in": tokenLifetime, "access_token": token])
    }

    /// Checks a client assertion as the identity platform documents it; nil when it is good.
    private func verify(assertion: String, audience: String) -> String? {
        guard let certificate else { return "AADSTS700027: no certificate registered for the app" }
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = TestClientCertificate.fromBase64URL(parts[0]),
            let claimsData = TestClientCertificate.fromBase64URL(parts[1]),
            let signature = TestClientCertificate.fromBase64URL(parts[2]),
            let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any],
            let claims = (try? JSONSerialization.jsonObject(with: claimsData)) as? [String: Any]
        else { return "AADSTS50027: JWT token is invalid or malformed." }
        guard header["alg"] as? String == "RS256" else { return "AADSTS5002730: alg must be RS256" }
        guard header["x5t"] as? String == certificate.x5t else {
            return "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application."
        }
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        guard certificate.publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: signed, padding: .insecurePKCS1v1_5)
        else { return "AADSTS700027: Client assertion contains an invalid signature." }
        guard claims["aud"] as? String == audience else { return "AADSTS700016: aud claim does not match the token endpoint" }
        guard claims["iss"] as? String == clientID, claims["sub"] as? String == clientID else {
            return "AADSTS700023: iss and sub must be the client id"
        }
        let now = Date().timeIntervalSince1970
        guard let exp = claims["exp"] as? Double ?? (claims["exp"] as? Int).map(Double.init), exp > now else {
            return "AADSTS700024: Client assertion is not within its valid time range."
        }
        guard claims["jti"] is String else { return "AADSTS50027: jti missing" }
        return nil
    }

    // MARK: Content

    private func content(_ request: LoopbackHTTPRequest) -> LoopbackHTTPResponse {
        let query = request.query
        guard let type = query["contentType"] else { return Self.apiError(400, "AF20020", "contentType is required") }
        let enabled = state.withLock { $0.enabled.contains(type) }
        guard enabled else { return Self.apiError(400, "AF20022", "No subscription found for the specified content type") }
        let now = Date()
        let start: Date
        let end: Date
        switch (query["startTime"].flatMap(Self.parseTime), query["endTime"].flatMap(Self.parseTime)) {
        case (let s?, let e?):
            guard e > s, e.timeIntervalSince(s) <= 86_400, s >= now.addingTimeInterval(-7 * 86_400) else {
                return Self.window()
            }
            start = s
            end = e
        case (nil, nil) where query["startTime"] == nil && query["endTime"] == nil:
            start = now.addingTimeInterval(-86_400)
            end = now
        default:
            return Self.window()
        }
        let offset = query["nextPage"].flatMap(Int.init) ?? 0
        let matching = state.withLock { state -> [Blob] in
            if offset == 0 { state.contentQueries.append((start, end)) }
            return state.blobs.filter { $0.created >= start && $0.created < end }
        }
        let page = matching.dropFirst(offset).prefix(pageSize)
        let items: [[String: Any]] = page.map { blob in
            [
                "contentType": type, "contentId": blob.contentId,
                "contentUri": baseURL.absoluteString + "/api/v1.0/\(tenant)/activity/feed/audit/\(blob.contentId)",
                "contentCreated": Self.formatTime(blob.created),
                "contentExpiration": Self.formatTime(blob.created.addingTimeInterval(7 * 86_400)),
            ]
        }
        var headers: [(name: String, value: String)] = []
        if offset + page.count < matching.count {
            var components = URLComponents(string: baseURL.absoluteString + request.uri)!
            components.queryItems = (components.queryItems ?? []).filter { $0.name != "nextPage" }
                + [URLQueryItem(name: "nextPage", value: String(offset + page.count))]
            headers.append(("NextPageUri", components.url!.absoluteString))
        }
        return .json(items, headers: headers)
    }

    private func blob(id: String) async -> LoopbackHTTPResponse {
        enum Decision { case throttle, stall, serve(Data), missing }
        let decision = state.withLock { state -> Decision in
            if state.faults.stall.contains(id) { return .stall }
            if state.faults.throttleOnce.contains(id), state.throttled.insert(id).inserted { return .throttle }
            guard let blob = state.blobs.first(where: { $0.contentId == id }) else { return .missing }
            state.served.append(id)
            return .serve(blob.body)
        }
        switch decision {
        case .throttle:
            return LoopbackHTTPResponse(
                status: 429, headers: [("Retry-After", "1"), ("Content-Type", "application/json")],
                body: Data(#"{"error":{"code":"AF429","message":"Too many requests. Method=GetBlob, PublisherId=00000000-0000-0000-0000-000000000000"}}"#.utf8))
        case .stall:
            try? await Task.sleep(for: .seconds(120))
            return LoopbackHTTPResponse(status: 503)
        case .serve(let body):
            return LoopbackHTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: body)
        case .missing:
            return Self.apiError(404, "AF20051", "Content requested with the key \(id) has already expired or does not exist")
        }
    }

    // MARK: Helpers

    private static func window() -> LoopbackHTTPResponse {
        apiError(
            400, "AF20055",
            "Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.")
    }

    private static func apiError(_ status: Int, _ code: String, _ message: String) -> LoopbackHTTPResponse {
        .json(["error": ["code": code, "message": message]], status: status)
    }

    private static func tokenError(_ status: Int, _ error: String, _ description: String) -> LoopbackHTTPResponse {
        .json(["error": error, "error_description": description], status: status)
    }

    static func parseForm(_ body: Data) -> [String: String] {
        var result: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    /// `YYYY-MM-DDTHH:MM:SS`, optionally with a fraction and `Z` (the reference's examples use both).
    static func parseTime(_ text: String) -> Date? {
        var core = text.hasSuffix("Z") ? String(text.dropLast()) : text
        if let dot = core.firstIndex(of: ".") { core = String(core[..<dot]) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: core)
    }

    static func formatTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter.string(from: date)
    }
}
