import BypassAuditor
import Foundation
import GRDB
import Testing
import TestSupport

/// The real binary's `collect` against a Management Activity API server on 127.0.0.1 serving the sample logs as
/// content blobs: the same events, alerts and inventory as ingesting the files; a rerun fetches nothing; a run killed
/// mid-way resumes without loss or duplicates.
@Suite("End to end: collect", .serialized)
struct CollectEndToEndTests {
    static let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
    static let clientID = "0b8f3c1d-2e4f-4a5b-9c6d-7e8f9a0b1c2d"
    static let secret = "e2e-client-secret"
    static let sample = PackageRoot.url.appendingPathComponent("scripts/sample-data/logs/o365-management-api-2026-10.ndjson")

    /// The sample's records as blobs of 100, made available over the last three days in shuffled order.
    static func blobs(now: Date) throws -> [ManagementActivityTestServer.Blob] {
        let lines = try String(contentsOf: sample, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
        let chunks = stride(from: 0, to: lines.count, by: 100).map { Array(lines[$0..<min($0 + 100, lines.count)]) }
        return chunks.enumerated().map { index, records in
            // Out of time order: the listing order is not the availability order.
            let hoursAgo = Double((index * 7) % chunks.count) * 5 + 1
            return .init(
                contentId: "20261206\(index)$sample\(index)$audit_exchange$Audit_Exchange$emea0026",
                created: now.addingTimeInterval(-hoursAgo * 3600), body: Data(("[" + records.joined(separator: ",") + "]").utf8))
        }
    }

    static func collectArguments(_ server: ManagementActivityTestServer, db: String) -> [String] {
        [
            "collect", "--db", db, "--tenant", tenant, "--client-id", clientID, "--login-url",
            server.baseURL.absoluteString, "--manage-url", server.baseURL.absoluteString,
        ]
    }

    static let environment = ["BYPASS_AUDITOR_CLIENT_SECRET": secret]

    static func server(now: Date) async throws -> ManagementActivityTestServer {
        let server = try await ManagementActivityTestServer(
            tenant: tenant, clientID: clientID, clientSecret: secret, enabled: ["Audit.Exchange"], pageSize: 4)
        for blob in try blobs(now: now) { server.add(blob) }
        return server
    }

    /// What must match between a collected and an ingested database: events, alerts, inventory.
    static func facts(_ db: String, in directory: TemporaryDirectory) async throws -> (events: [String], alerts: [String], inventory: String) {
        let detect = try await CLI.runInBackground(["detect", "--db", db, "--now", "2026-11-29T00:00:00Z"], in: directory.url)
        #expect(detect.status == 0 || detect.status == 3, "\(detect.stderr)")
        let inventory = try await CLI.runInBackground(["inventory", "--db", db, "--as-of", "2026-10-31", "--json"], in: directory.url)
        #expect(inventory.status == 0, "\(inventory.stderr)")
        let database = try DatabaseQueue(path: db)
        let events = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT event_id || ' ' || tenant || ' ' || timestamp || ' ' || action FROM event ORDER BY event_id")
        }
        let alerts = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT rule_id || ' ' || event_id FROM alert ORDER BY rule_id, event_id")
        }
        return (events, alerts, inventory.stdout)
    }

    @Test("blobs collected give the same events, alerts and inventory as the files ingested; a rerun fetches nothing")
    func sameAsIngest() async throws {
        let directory = try TemporaryDirectory()
        let now = Date()
        let server = try await Self.server(now: now)
        defer { Task { await server.stop() } }

        let ingested = directory.path("ingested.sqlite")
        let ingest = try await CLI.runInBackground(["ingest", "--db", ingested, Self.sample.path], in: directory.url)
        #expect(ingest.status == 0, "\(ingest.stderr)")

        let collected = directory.path("collected.sqlite")
        let collect = try await CLI.runInBackground(
            Self.collectArguments(server, db: collected), in: directory.url, environment: Self.environment)
        #expect(collect.status == 0, "\(collect.stderr)")
        let blobCount = try Self.blobs(now: now).count
        #expect(collect.stdout.contains("\(blobCount) fetched"), "\(collect.stdout)")
        #expect(!collect.stderr.contains(Self.secret) && !collect.stdout.contains(Self.secret))
        #expect(server.blobsServed.count == blobCount)

        let expected = try await Self.facts(ingested, in: directory)
        let actual = try await Self.facts(collected, in: directory)
        #expect(!expected.events.isEmpty && !expected.alerts.isEmpty)
        #expect(actual.events == expected.events)
        #expect(actual.alerts == expected.alerts)
        #expect(actual.inventory == expected.inventory)

        let again = try await CLI.runInBackground(
            Self.collectArguments(server, db: collected) + ["--json"], in: directory.url, environment: Self.environment)
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try again.json()
        let types = try #require(summary["content_types"] as? [[String: Any]], "\(summary)")
        #expect(types.first?["blobs_fetched"] as? Int == 0)
        #expect((types.first?["blobs_already_stored"] as? Int ?? 0) > 0)
        #expect(server.blobsServed.count == blobCount, "the second collect fetched no blob")
    }

    @Test("a collect killed mid-way resumes without loss or duplicates")
    func killedMidway() async throws {
        let directory = try TemporaryDirectory()
        let now = Date()
        let server = try await Self.server(now: now)
        defer { Task { await server.stop() } }
        let blobs = try Self.blobs(now: now)
        // One blob never answers: the run hangs there with others stored, and is killed.
        var faults = ManagementActivityTestServer.Faults()
        faults.stall = [blobs[5].contentId]
        server.setFaults(faults)

        let collected = directory.path("collected.sqlite")
        let process = Process()
        process.executableURL = try CLI.binary
        process.arguments = Self.collectArguments(server, db: collected) + ["--concurrency", "2"]
        process.environment = ProcessInfo.processInfo.environment.merging(Self.environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the stalled blob was asked for (the other download slot keeps storing blobs of its window
        // meanwhile), then kill -9.
        for _ in 0..<300 where server.requests.filter({ $0.path.hasSuffix(blobs[5].contentId) }).isEmpty {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(1))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let storedBeforeKill = try await DatabaseQueue(path: collected).read { db in
            try String.fetchAll(db, sql: "SELECT content_id FROM activity_feed_blob WHERE fetched_at IS NOT NULL")
        }
        #expect(!storedBeforeKill.isEmpty, "the other download slot stored blobs before the kill")
        #expect(!storedBeforeKill.contains(blobs[5].contentId))
        let servedBefore = server.blobsServed.count

        server.setFaults(ManagementActivityTestServer.Faults())
        let resumed = try await CLI.runInBackground(
            Self.collectArguments(server, db: collected), in: directory.url, environment: Self.environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let servedAfter = Array(server.blobsServed.dropFirst(servedBefore))
        #expect(Set(servedAfter).isDisjoint(with: storedBeforeKill), "no stored blob fetched again")
        #expect(servedAfter.contains(blobs[5].contentId))

        let ingested = directory.path("ingested.sqlite")
        _ = try await CLI.runInBackground(["ingest", "--db", ingested, Self.sample.path], in: directory.url)
        let expected = try await Self.facts(ingested, in: directory)
        let actual = try await Self.facts(collected, in: directory)
        #expect(actual.events == expected.events, "nothing lost, nothing twice")
        #expect(actual.alerts == expected.alerts)
        // Coverage counted once per record: the same per-day totals as the file.
        let coverage: (String) async throws -> [String] = { path in
            try await DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT day || ' ' || SUM(records) FROM coverage GROUP BY day ORDER BY day")
            }
        }
        #expect(try await coverage(collected) == (try await coverage(ingested)))
    }

    @Test("watch --collect: each cycle collects, then detects; the second cycle fetches nothing new")
    func watchCollect() async throws {
        let directory = try TemporaryDirectory()
        let now = Date()
        let server = try await Self.server(now: now)
        defer { Task { await server.stop() } }
        let db = directory.path("watch.sqlite")
        var arguments = Self.collectArguments(server, db: db)
        arguments[0] = "watch"
        let result = try await CLI.runInBackground(
            arguments + ["--collect", "--cycles", "2", "--interval", "1s"], in: directory.url, environment: Self.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let blobCount = try Self.blobs(now: now).count
        #expect(result.stdout.contains("\(blobCount) fetched"), "\(result.stdout)")
        #expect(result.stdout.contains("Cycle 2"))
        // The second cycle lists its look-back again and recognises what it holds.
        #expect(result.stdout.contains(" 0 fetched, "), "\(result.stdout)")
        #expect(server.blobsServed.count == blobCount)
        let alerts = try await DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert") }
        #expect((alerts ?? 0) > 0, "the collected bypass records raised alerts in the same watch")
    }

    @Test("collect with a new subscription says content can take 12 hours; a 401 names the permission")
    func noticesAndRefusal() async throws {
        let directory = try TemporaryDirectory()
        let server = try await ManagementActivityTestServer(
            tenant: Self.tenant, clientID: Self.clientID, clientSecret: Self.secret, enabled: [])
        defer { Task { await server.stop() } }
        let db = directory.path("new.sqlite")
        let fresh = try await CLI.runInBackground(
            Self.collectArguments(server, db: db), in: directory.url, environment: Self.environment)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stderr.contains("subscription started now"))
        #expect(fresh.stderr.contains("up to 12 hours"))

        var faults = ManagementActivityTestServer.Faults()
        faults.unauthorized = true
        server.setFaults(faults)
        let refused = try await CLI.runInBackground(
            Self.collectArguments(server, db: db), in: directory.url, environment: Self.environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("ActivityFeed.Read"), "\(refused.stderr)")
        #expect(refused.stderr.contains(Self.tenant))
        #expect(!refused.stderr.contains(Self.secret))

        let old = try await CLI.runInBackground(
            Self.collectArguments(server, db: directory.path("old.sqlite")) + ["--since", "2020-01-01"],
            in: directory.url, environment: ["BYPASS_AUDITOR_CLIENT_SECRET": "wrong"])
        #expect(old.status == 1, "a wrong secret fails the run")
        #expect(old.stderr.contains("AADSTS7000215"), "\(old.stderr)")
    }
}

extension CLI {
    /// `run` off the cooperative thread pool, so the in-process test server keeps answering while the binary runs.
    static func runInBackground(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try CLI.run(arguments, in: directory, environment: environment) })
            }
        }
    }
}
