import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// One request as the loopback server received it.
public struct LoopbackHTTPRequest: Sendable {
    public var method: String
    /// The request target: path and query, as sent (`/logs-o365*/_search?x=1`).
    public var uri: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    /// The path without its query, percent-decoded.
    public var path: String {
        let raw = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        return raw.removingPercentEncoding ?? raw
    }

    /// The query parameters, percent-decoded (a repeated name keeps its last value).
    public var query: [String: String] {
        guard let components = URLComponents(string: "http://loopback" + uri) else { return [:] }
        var result: [String: String] = [:]
        for item in components.queryItems ?? [] { result[item.name] = item.value ?? "" }
        return result
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body parsed as a JSON object, or nil.
    public var jsonBody: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

/// The answer a test's handler gives.
public struct LoopbackHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer: `object` serialised with sorted keys.
    public static func json(_ object: Any, status: Int = 200, headers: [(name: String, value: String)] = [])
        -> LoopbackHTTPResponse
    {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return LoopbackHTTPResponse(
            status: status, headers: headers + [("Content-Type", "application/json")], body: data)
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 (a free port), for testing the network sources against the documented
/// protocol: each request is handed whole to the test's handler and its answer is sent back. With `tls`, it speaks
/// HTTPS with the given certificate chain and key.
///
/// Every request is recorded (`requests`) so tests can check what the client sent.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (LoopbackHTTPRequest) async -> LoopbackHTTPResponse

    /// `http://127.0.0.1:PORT` (or `https://…` with TLS), no trailing slash.
    public let baseURL: URL
    public let port: Int
    private let serverChannel: any Channel
    private let acceptLoop: Task<Void, Never>
    private let recorded = RequestLog()

    /// The server's own TLS identity: PEM certificate chain file and PEM private key file.
    public struct TLSIdentity: Sendable {
        public var certificateChainFile: String
        public var privateKeyFile: String
        public init(certificateChainFile: String, privateKeyFile: String) {
            self.certificateChainFile = certificateChainFile
            self.privateKeyFile = privateKeyFile
        }
    }

    /// Starts a server answering every request with `handler`.
    public init(tls: TLSIdentity? = nil, handler: @escaping Handler) async throws {
        let sslContext: NIOSSLContext? = try tls.map { identity in
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(identity.certificateChainFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: identity.privateKeyFile, format: .pem)))
            return try NIOSSLContext(configuration: configuration)
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: child)
                }
            }
        guard let port = channel.channel.localAddress?.port else {
            throw LoopbackHTTPServerError.noPort
        }
        self.port = port
        baseURL = URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)")!
        serverChannel = channel.channel
        let recorded = self.recorded
        acceptLoop = Task {
            try? await channel.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in connections {
                            group.addTask {
                                await Self.serve(connection, handler: handler, recorded: recorded)
                            }
                        }
                    } catch {
                        // The listening socket closed: the server is stopping.
                    }
                }
            }
        }
    }

    /// Every request received so far, oldest first.
    public var requests: [LoopbackHTTPRequest] { recorded.all }

    /// Closes the listening socket and ends every connection.
    public func stop() async {
        try? await serverChannel.close()
        acceptLoop.cancel()
        _ = await acceptLoop.value
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, handler: Handler,
        recorded: RequestLog
    ) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { continue }
                    let request = LoopbackHTTPRequest(
                        method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                        body: Data(body.readableBytesView))
                    recorded.append(request)
                    let response = await handler(request)
                    var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
                    headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                    if !head.isKeepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
                    try await outbound.write(
                        .head(HTTPResponseHead(
                            version: head.version, status: HTTPResponseStatus(statusCode: response.status),
                            headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    try await outbound.write(.end(nil))
                    if !head.isKeepAlive { return }
                }
            }
        }
    }
}

/// The requests a server received, shared between its connections.
final class RequestLog: Sendable {
    private let requests = Mutex<[LoopbackHTTPRequest]>([])
    func append(_ request: LoopbackHTTPRequest) { requests.withLock { $0.append(request) } }
    var all: [LoopbackHTTPRequest] { requests.withLock { $0 } }
}

public enum LoopbackHTTPServerError: Error {
    case noPort
}
