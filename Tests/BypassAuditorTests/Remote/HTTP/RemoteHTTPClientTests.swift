import BypassAuditor
import Foundation
import Synchronization
import Testing
import TestSupport

@Suite("Remote HTTP client: retries, Retry-After, errors without secrets")
struct RemoteHTTPClientTests {
    private static let quick = RemoteHTTPConfiguration.loopback(
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .seconds(2)))

    @Test("a JSON request reaches the server with its method, path, headers and body")
    func sendsTheRequest() async throws {
        let server = try await LoopbackHTTPServer { request in
            .json(["path": request.path, "method": request.method, "auth": request.header("Authorization") ?? ""])
        }
        defer { Task { await server.stop() } }
        let response = try await withRemoteHTTPClient(Self.quick) { client in
            try await client.send(
                .json(
                    .post, server.baseURL.appendingPathComponent("logs-o365*/_search"), body: Data(#"{"size":1}"#.utf8),
                    headers: [("Authorization", "ApiKey c2VjcmV0")]))
        }
        #expect(response.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: String])
        #expect(object == ["path": "/logs-o365*/_search", "method": "POST", "auth": "ApiKey c2VjcmV0"])
        let received = try #require(server.requests.first)
        #expect(received.header("Content-Type") == "application/json")
        #expect(String(decoding: received.body, as: UTF8.self) == #"{"size":1}"#)
    }

    @Test("429 with Retry-After and 503 are retried; the first real answer is returned")
    func retriesThrottling() async throws {
        let calls = Mutex(0)
        let server = try await LoopbackHTTPServer { _ in
            let call = calls.withLock { value in
                value += 1
                return value
            }
            switch call {
            case 1: return LoopbackHTTPResponse(status: 429, headers: [("Retry-After", "1")])
            case 2: return LoopbackHTTPResponse(status: 503)
            default: return .json(["ok": true])
            }
        }
        defer { Task { await server.stop() } }
        let started = ContinuousClock.now
        let response = try await withRemoteHTTPClient(Self.quick) { client in
            try await client.send(RemoteRequest(method: .get, url: server.baseURL))
        }
        #expect(response.status == 200)
        #expect(server.requests.count == 3)
        // Retry-After: 1 was honoured rather than the 10 ms back-off.
        #expect(ContinuousClock.now - started >= .seconds(1))
    }

    @Test("a status that is an answer (401, 404) is returned at once, not retried")
    func answersAreNotRetried() async throws {
        let server = try await LoopbackHTTPServer { _ in LoopbackHTTPResponse(status: 401) }
        defer { Task { await server.stop() } }
        let response = try await withRemoteHTTPClient(Self.quick) { client in
            try await client.send(RemoteRequest(method: .get, url: server.baseURL))
        }
        #expect(response.status == 401)
        #expect(server.requests.count == 1)
    }

    @Test("retries run out with an error naming the URL without its query")
    func retriesRunOut() async throws {
        let server = try await LoopbackHTTPServer { _ in LoopbackHTTPResponse(status: 502) }
        defer { Task { await server.stop() } }
        let url = try #require(URL(string: server.baseURL.absoluteString + "/feed?token=s3cr3t"))
        let error = await #expect(throws: RemoteError.self) {
            try await withRemoteHTTPClient(Self.quick) { client in
                try await client.send(RemoteRequest(method: .get, url: url))
            }
        }
        #expect(server.requests.count == 3)
        let text = "\(try #require(error))"
        #expect(text.contains("502") && text.contains("/feed"))
        #expect(!text.contains("s3cr3t"))
    }

    @Test("a refused connection is a transport error after the configured attempts")
    func refusedConnection() async throws {
        let server = try await LoopbackHTTPServer { _ in LoopbackHTTPResponse() }
        let url = server.baseURL
        await server.stop()
        await #expect(throws: RemoteError.self) {
            try await withRemoteHTTPClient(Self.quick) { client in
                try await client.send(RemoteRequest(method: .get, url: url))
            }
        }
    }

    @Test("Retry-After as delay-seconds and as an HTTP date")
    func retryAfterForms() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(30))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "7") == .seconds(7))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(policy.delay(afterAttempt: 1, retryAfter: "Tue, 14 Nov 2023 22:13:40 GMT", now: now) == .seconds(20))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "600") == .seconds(30))
        #expect(policy.delay(afterAttempt: 3) == .milliseconds(400))
    }
}

@Suite("Secrets come from files or the environment and never print")
struct SecretSourceTests {
    @Test("a file wins over the environment; one trailing line break is dropped")
    func fileFirst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("key")
        try Data("abc123\n".utf8).write(to: file)
        let source = SecretSource(file: file.path, environmentVariable: "TEST_KEY", label: "test key")
        let secret = try #require(try source.resolve(environment: ["TEST_KEY": "from-env"]))
        #expect(secret.reveal() == "abc123")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
    }

    @Test("the environment variable is read without a file; neither gives nil; empty is an error")
    func environment() throws {
        let source = SecretSource(file: nil, environmentVariable: "TEST_KEY", label: "test key")
        #expect(try source.resolve(environment: ["TEST_KEY": "v"])?.reveal() == "v")
        #expect(try source.resolve(environment: [:]) == nil)
        #expect(throws: SecretError.self) { try source.resolve(environment: ["TEST_KEY": ""]) }
        let missing = SecretSource(file: "/nonexistent/key", environmentVariable: "TEST_KEY", label: "test key")
        #expect(throws: SecretError.self) { try missing.resolve(environment: ["TEST_KEY": "v"]) }
    }
}
