import BypassAuditor
import Foundation
import TestSupport
import Testing

/// `ingest --from-elasticsearch` and `detect --to-elasticsearch` with the real binary against
/// `ElasticsearchTestServer` on 127.0.0.1, holding the bundled Filebeat sample (the ECS part of `make demo`'s data).
@Suite("Elasticsearch end to end", .serialized)
struct ElasticsearchEndToEndTests {
    static let sample = PackageRoot.url.appendingPathComponent("scripts/sample-data/logs/filebeat-o365-2026-11.ndjson").path
    static let rules = PackageRoot.url.appendingPathComponent("Policies/rules").path
    static let index = "logs-o365.audit-default"
    static let alertsIndex = "logs-bypass_auditor.alerts-default"
    static let now = "2026-11-29T00:00:00Z"
    static let window = ["--since", "2026-10-01T00:00:00Z", "--until", "2026-12-01T00:00:00Z"]

    static func cluster() async throws -> ElasticsearchTestServer {
        let server = try await ElasticsearchTestServer()
        try server.addNDJSON(sample, index: index)
        return server
    }

    /// Runs the binary off the cooperative pool: the test server answers on it.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLI.Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try CLI.run(arguments, environment: environment) })
            }
        }
    }

    static func fromCluster(_ server: ElasticsearchTestServer, db: String, extra: [String] = []) async throws -> CLI.Result {
        try await run(
            ["ingest", "--db", db, "--rules", rules, "--json", "--from-elasticsearch", server.baseURL.absoluteString, "--index", "logs-o365*"]
                + window + extra)
    }

    /// Each stored event: id, time, action, tenant, and every field the cluster was asked to return (but
    /// `event.ingested`, the moment of ingest).
    static func events(_ path: String) throws -> [String: [String: FieldValue]] {
        let stored = try AuditDatabase(path: path).read { db in try EventStore.events(db) }
        var result: [String: [String: FieldValue]] = [:]
        for item in stored {
            let fields = item.event.fields.filter { name, _ in
                name != "event.ingested" && ElasticsearchSearchPlan.baseSourceFields.contains { pattern in
                    pattern == name || (pattern.hasSuffix(".*") && name.hasPrefix(String(pattern.dropLast())))
                }
            }
            result[item.event.id ?? "?"] = fields
        }
        return result
    }

    static func json(_ result: CLI.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try result.json()
    }

    /// A JSON document with the keys that name where data came from or when the command ran removed.
    static func comparable(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var kept: [String: Any] = [:]
            for (key, item) in object
            where !["generated_at", "ran_at", "path", "input_path", "inputs", "sources", "files", "output_directory",
                    "ingested_at", "raised_at", "digest", "sha256", "run_id", "id", "report_id", "chain_head"].contains(key) {
                kept[key] = comparable(item)
            }
            return kept
        }
        if let array = value as? [Any] { return array.map(comparable) }
        return value
    }

    static func same(_ lhs: Any, _ rhs: Any) throws -> Bool {
        let options: JSONSerialization.WritingOptions = [.sortedKeys]
        return try JSONSerialization.data(withJSONObject: comparable(lhs), options: options)
            == JSONSerialization.data(withJSONObject: comparable(rhs), options: options)
    }

    @Test("the sample from the cluster and from the file give the same events, alerts, inventory and report; a rerun ingests nothing")
    func sameAsFiles() async throws {
        let server = try await Self.cluster()
        let folder = try TemporaryDirectory()
        let files = folder.path("files.sqlite")
        let cluster = folder.path("cluster.sqlite")
        let fileSummary = try Self.json(try await Self.run(["ingest", "--db", files, "--rules", Self.rules, "--json", Self.sample]))
        let clusterSummary = try Self.json(try await Self.fromCluster(server, db: cluster))
        #expect(clusterSummary["events_stored"] as? Int == fileSummary["events_stored"] as? Int)
        #expect((clusterSummary["events_stored"] as? Int ?? 0) > 0)
        let fromFiles = try Self.events(files)
        let fromCluster = try Self.events(cluster)
        #expect(fromFiles.keys.sorted() == fromCluster.keys.sorted())
        for (id, fields) in fromFiles where fromCluster[id] != fields {
            let other = fromCluster[id] ?? [:]
            let differing = Set(fields.keys).union(other.keys).filter { fields[$0] != other[$0] }
            Issue.record("event \(id) differs in \(differing.sorted().map { "\($0): \(String(describing: fields[$0])) vs \(String(describing: other[$0]))" })")
        }

        let again = try Self.json(try await Self.fromCluster(server, db: cluster))
        #expect(again["events_stored"] as? Int == 0, "a second run ingests nothing new")

        for db in [files, cluster] {
            let detect = try await Self.run(["detect", "--db", db, "--rules", Self.rules, "--now", Self.now])
            #expect(detect.status == 0, "\(detect.stderr)")
        }
        for command in [["alerts", "list", "--status", "all", "--json"], ["inventory", "--as-of", "2026-11-30", "--json"]] {
            let a = try Self.json(try await Self.run(command + ["--db", files]))
            let b = try Self.json(try await Self.run(command + ["--db", cluster]))
            #expect(try Self.same(a, b), "\(command[0]) differs")
        }
        var reports: [Any] = []
        for (db, out) in [(files, "ra"), (cluster, "rb")] {
            let run = try await Self.run(["report", "--db", db, "--period", "2026-11", "--out", folder.path(out), "--format", "json"])
            #expect(run.status == 0 || run.status == 3, "\(run.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.path(out + "/2026-11/report.json")))
            reports.append(try JSONSerialization.jsonObject(with: data))
        }
        #expect(try Self.same(reports[0], reports[1]), "report.json differs: \(reports)")
        await server.stop()
    }

    @Test("a run that fails after its first page resumes from its checkpoint without loss or duplicates")
    func resumesAfterFailure() async throws {
        // The sample plus six more bypass records (copies of its own under new ids, at the same instant, so the
        // pages also rely on the tie-breaker).
        let folder = try TemporaryDirectory()
        let lines = try String(contentsOfFile: Self.sample, encoding: .utf8).split(separator: "\n").map(String.init)
        let bypass = try #require(lines.first { $0.contains("Set-MailboxAuditBypassAssociation") })
        let id = try #require(try JSONTree.parse(Data(bypass.utf8))["event.id"]?.stringValue)
        let copies = (1...6).map { bypass.replacingOccurrences(of: id, with: "copy-\($0)-" + id) }
        let data = try folder.write("logs.ndjson", (lines + copies).joined(separator: "\n") + "\n")
        let server = try await ElasticsearchTestServer()
        try server.addNDJSON(data, index: Self.index)
        let expected = folder.path("files.sqlite")
        _ = try Self.json(try await Self.run(["ingest", "--db", expected, "--rules", Self.rules, "--json", data]))
        #expect(try Self.events(expected).count >= 7)
        let db = folder.path("cluster.sqlite")
        // The second page fails hard (500 is not retried): the run stops with exit 1 after committing page one.
        server.inject(.init(path: "/_search", after: 1, status: 500, times: 1))
        let failed = try await Self.fromCluster(server, db: db, extra: ["--page-size", "2"])
        #expect(failed.status == 1, "\(failed.stderr) \(failed.stdout) \(server.requests.map { $0.method + " " + $0.path })")
        let partial = try Self.events(db)
        #expect(!partial.isEmpty, "the first page was committed")
        #expect(partial.count < (try Self.events(expected)).count)

        let resumed = try Self.json(try await Self.fromCluster(server, db: db, extra: ["--page-size", "2"]))
        #expect((resumed["events_stored"] as? Int ?? 0) + partial.count == (try Self.events(expected)).count)
        #expect(try Self.events(db) == Self.events(expected))
        await server.stop()
    }

    @Test("detect --to-elasticsearch delivers each alert once, even when resent; a failed item is reported and sent next run")
    func deliversAlerts() async throws {
        let server = try await Self.cluster()
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        _ = try Self.json(try await Self.run(["ingest", "--db", db, "--rules", Self.rules, "--json", Self.sample]))
        let url = server.baseURL.absoluteString
        // Reject the first alert document once, permanently (400): it must be reported and stay pending.
        let listing = try await Self.run(["detect", "--db", db, "--rules", Self.rules, "--now", Self.now, "--ndjson"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let documents = listing.stdout.split(separator: "\n").map { try? JSONTree.parse(Data($0.utf8)) }
        let ids = documents.compactMap { $0?["kibana.alert.uuid"]?.stringValue }
        #expect(!ids.isEmpty)
        server.rejectBulkItem(id: ids[0], status: 400, type: "document_parsing_exception")

        let first = try await Self.run(["detect", "--db", db, "--rules", Self.rules, "--now", Self.now, "--to-elasticsearch", url])
        #expect(first.status == 1, "an undelivered alert fails the run")
        #expect(first.stderr.contains(ids[0]), "\(first.stderr)")
        #expect(Set(server.documents(in: Self.alertsIndex).map(\.id)) == Set(ids.dropFirst()))

        let second = try await Self.run(["detect", "--db", db, "--rules", Self.rules, "--now", Self.now, "--to-elasticsearch", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Set(server.documents(in: Self.alertsIndex).map(\.id)) == Set(ids))
        #expect(server.documents(in: Self.alertsIndex).count == ids.count, "each alert once")
        let stored = server.documents(in: Self.alertsIndex).first { $0.id == ids[0] }
        #expect(stored?.source == documents.first ?? nil, "the document is the --ndjson document")

        let third = try await Self.run(["detect", "--db", db, "--rules", Self.rules, "--now", Self.now, "--to-elasticsearch", url])
        #expect(third.status == 0)
        #expect(third.stderr.contains("Delivered 0 alert(s)"), "\(third.stderr)")
        #expect(server.documents(in: Self.alertsIndex).count == ids.count)
        await server.stop()
    }

    @Test("watch --to-elasticsearch sends new alerts; a failed send does not stop the watch and is sent by a later run")
    func watchDelivers() async throws {
        let server = try await ElasticsearchTestServer()
        let folder = try TemporaryDirectory()
        let watch = [
            "watch", "--db", folder.path("w.sqlite"), "--rules", Self.rules, "--cycles", "1", "--interval", "1s",
            "--to-elasticsearch", server.baseURL.absoluteString, folder.path("logs"),
        ]
        _ = try folder.write(
            "logs/audit.ndjson",
            AuditRecordLines.bypass(id: "w-es-1", identity: "svc-backup", time: "2026-11-21T10:00:00") + "\n")
        // The whole bulk request fails (500 is not retried): the cycle says so and the watch ends normally.
        server.inject(.init(path: "/_bulk", status: 500))
        let failed = try await Self.run(watch)
        #expect(failed.status == 0, "\(failed.stderr)")
        #expect(failed.stderr.contains("sent again next cycle"), "\(failed.stderr)")
        #expect(server.documents(in: Self.alertsIndex).isEmpty)

        _ = try folder.write(
            "logs/more.ndjson",
            AuditRecordLines.bypass(id: "w-es-2", identity: "svc-backup", time: "2026-11-21T10:05:00") + "\n")
        let result = try await Self.run(watch)
        #expect(result.status == 0, "\(result.stderr)")
        let delivered = server.documents(in: Self.alertsIndex).compactMap { $0.source["event.id"]?.stringValue }
        #expect(delivered.sorted() == ["w-es-1", "w-es-2"], "the pending alert and the new one, once each")
        await server.stop()
    }

    /// A private CA and a certificate for 127.0.0.1 signed by it, made with the openssl tool.
    static func privateCA(in folder: TemporaryDirectory) throws -> (ca: String, identity: LoopbackHTTPServer.TLSIdentity) {
        func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.currentDirectoryURL = folder.url
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " "))")
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=bypass-auditor test CA",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        _ = try folder.write("san.cnf", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "server.pem", "-days", "2", "-extfile", "san.cnf"])
        return (folder.path("ca.pem"), .init(certificateChainFile: folder.path("server.pem"), privateKeyFile: folder.path("server.key")))
    }

    @Test("--ca-cert trusts a cluster with a private CA; without it the TLS handshake is refused")
    func privateCertificateAuthority() async throws {
        let folder = try TemporaryDirectory()
        let (ca, identity) = try Self.privateCA(in: folder)
        let server = try await ElasticsearchTestServer(tls: identity)
        try server.addNDJSON(Self.sample, index: Self.index)
        #expect(server.baseURL.scheme == "https")
        let untrusted = try await Self.fromCluster(server, db: folder.path("a.sqlite"))
        #expect(untrusted.status == 1, "\(untrusted.stderr)")
        let trusted = try await Self.fromCluster(server, db: folder.path("a.sqlite"), extra: ["--ca-cert", ca])
        let summary = try Self.json(trusted)
        #expect((summary["events_stored"] as? Int ?? 0) > 0)
        await server.stop()
    }

    @Test("a refused key and a missing index exit 1 with a message naming them; the key never appears")
    func errors() async throws {
        let server = try await ElasticsearchTestServer(requiredAuthorization: "ApiKey c2VjcmV0")
        try server.addNDJSON(Self.sample, index: Self.index)
        let folder = try TemporaryDirectory()
        let refused = try await Self.run(
            ["ingest", "--db", folder.path("a.sqlite"), "--from-elasticsearch", server.baseURL.absoluteString] + Self.window,
            environment: ["BYPASS_AUDITOR_ES_API_KEY": "wrong-key-value"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("401"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("wrong-key-value"))
        let keyFile = try folder.write("key", "c2VjcmV0\n")
        let missing = try await Self.run(
            ["ingest", "--db", folder.path("a.sqlite"), "--from-elasticsearch", server.baseURL.absoluteString,
             "--index", "no-such-index", "--api-key-file", keyFile] + Self.window)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-index"), "\(missing.stderr)")
        await server.stop()
    }
}
