import Core
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// How the tool talks HTTP(S) to one remote service.
public struct RemoteHTTPConfiguration: Sendable {
    /// A PEM file of CA certificates to trust instead of the system's (a cluster with a private CA).
    public var caCertificateFile: String?
    public var connectTimeout: Duration
    /// How long one exchange (connect, send, receive the whole body) may take. A slow exchange that runs out of time
    /// is a transport fault, so the retry policy may send it again.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    /// Sent as `User-Agent`.
    public var userAgent: String

    public init(
        caCertificateFile: String? = nil, connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60), retry: RetryPolicy = .standard,
        userAgent: String = "bypass-auditor/\(BypassAuditorVersion.current)"
    ) {
        self.caCertificateFile = caCertificateFile
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.userAgent = userAgent
    }
}

/// The HTTP client of every remote source and sink, over AsyncHTTPClient: TLS with an optional private CA, no
/// redirects (a redirect could carry credentials to another host), and retries with back-off for the answers that
/// mean "later" (see `RetryPolicy`).
///
/// Create it with `withRemoteHTTPClient(_:_:)`, which shuts it down however the body ends.
public final class RemoteHTTPClient: Sendable {
    private let client: HTTPClient
    public let configuration: RemoteHTTPConfiguration

    init(configuration: RemoteHTTPConfiguration) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let path = configuration.caCertificateFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw RemoteError.invalidCACertificate(path: path, reason: "\(error)")
            }
            guard !certificates.isEmpty else {
                throw RemoteError.invalidCACertificate(path: path, reason: "no PEM certificate in the file")
            }
            tls.trustRoots = .certificates(certificates)
        }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .init(configuration.connectTimeout)))
        clientConfiguration.decompression = .enabled(limit: .none)
        // A failed connection fails the attempt at once: `RetryPolicy` decides about trying again (the pool's own
        // retries would wait out the whole connect timeout on every attempt, a minute before an error is shown).
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.configuration = configuration
    }

    /// Sends `request`, trying again on transport faults and retryable statuses as the retry policy says. Returns the
    /// first answer that is not retryable (any status: the caller decides what a 401 or 404 means), or the last
    /// retryable one wrapped in `RemoteError.retriesExhausted`.
    public func send(_ request: RemoteRequest) async throws -> RemoteResponse {
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            let response: RemoteResponse
            do {
                response = try await exchange(request)
            } catch let error as RemoteError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // A certificate the client does not trust stays untrusted: say so now instead of retrying.
                guard attempt < policy.maxAttempts, !(error is NIOSSLError), !(error is BoringSSLError) else {
                    throw RemoteError.transport(url: request.redactedURL, reason: "\(error)", attempts: attempt)
                }
                try await Task.sleep(for: policy.delay(afterAttempt: attempt))
                continue
            }
            guard policy.shouldRetry(status: response.status) else { return response }
            guard attempt < policy.maxAttempts else {
                throw RemoteError.retriesExhausted(url: request.redactedURL, status: response.status, attempts: attempt)
            }
            try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: response.header("Retry-After")))
        }
    }

    private func exchange(_ request: RemoteRequest) async throws -> RemoteResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = .init(rawValue: request.method.rawValue)
        outgoing.headers.add(name: "User-Agent", value: configuration.userAgent)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(outgoing, timeout: .init(configuration.requestTimeout))
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: request.maxResponseBytes)
        } catch is NIOTooManyBytesError {
            throw RemoteError.responseTooLarge(url: request.redactedURL, limit: request.maxResponseBytes)
        }
        return RemoteResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(body.readableBytesView))
    }

    func shutdown() async throws { try await client.shutdown() }
}

/// Runs `body` with a client for `configuration` and shuts the client down afterwards, whether `body` returned or
/// threw (an AsyncHTTPClient left running holds its connections and threads).
public func withRemoteHTTPClient<Result: Sendable>(
    _ configuration: RemoteHTTPConfiguration, _ body: (RemoteHTTPClient) async throws -> Result
) async throws -> Result {
    let client = try RemoteHTTPClient(configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
