import Foundation
import GRDB
import Testing
import TestSupport

import BypassAuditor
@testable import Remote

/// `collect` against a Management Activity API server on 127.0.0.1, over a real SQLite file.
@Suite("Management Activity API: collect")
struct ActivityFeedCollectorTests {
    @Test("every listed blob is fetched once across pages; a rerun fetches nothing; one token serves the run")
    func collectAndRerun() async throws {
        let server = try await ActivityFeedFixtures.server()
        let now = Date()
        for blob in ActivityFeedFixtures.standardBlobs(now: now) { server.add(blob) }
        let database = try DetectionFixtures.database()
        let collector = ActivityFeedCollector(
            database: database, interest: .bypassOnly, request: ActivityFeedFixtures.request(server))

        let first = try await collector.run(now: now)
        #expect(first.contentTypes.map(\.subscription) == [.enabled])
        #expect(first.contentTypes[0].blobsFetched == 7)
        #expect(Set(server.blobsServed) == Set((0..<7).map { "blob-\($0)" }))
        #expect(server.blobsServed.count == 7, "no blob fetched twice")
        #expect(try ActivityFeedFixtures.storedEventIDs(database) == (0..<7).map { "bypass-\($0)" })
        #expect(first.ingest.records == 14, "every record read (and counted for coverage), bypass ones stored")
        #expect(first.tokensIssued == 1)
        // Paging: 3 blobs a page, so some listing followed NextPageUri.
        #expect(server.requests.contains { $0.query["nextPage"] != nil })

        let second = try await collector.run(now: now.addingTimeInterval(60))
        #expect(second.contentTypes[0].blobsFetched == 0)
        #expect(second.contentTypes[0].blobsAlreadyStored == second.contentTypes[0].blobsListed)
        #expect(server.blobsServed.count == 7, "the rerun fetched nothing")
        #expect(second.ingest.eventsStored == 0)
        await server.stop()
    }

    @Test("a blob that becomes available late, before the checkpoint, is picked up by the look-back")
    func lateBlob() async throws {
        let server = try await ActivityFeedFixtures.server()
        let now = Date()
        for blob in ActivityFeedFixtures.standardBlobs(now: now) { server.add(blob) }
        let database = try DetectionFixtures.database()
        let collector = ActivityFeedCollector(
            database: database, interest: .bypassOnly, request: ActivityFeedFixtures.request(server))
        _ = try await collector.run(now: now)
        // Listed under an availability time 90 minutes before the last run's end, after that run.
        server.add(
            ActivityFeedFixtures.blob(
                "late", created: now.addingTimeInterval(-5400),
                [ActivityFeedFixtures.bypass(id: "bypass-late", identity: "late@contoso.com", at: now.addingTimeInterval(-9000))]))
        let later = try await collector.run(now: now.addingTimeInterval(600))
        #expect(later.contentTypes[0].blobsFetched == 1)
        #expect(try ActivityFeedFixtures.storedEventIDs(database).contains("bypass-late"))
        await server.stop()
    }

    @Test("429 with Retry-After is waited out and the blob fetched")
    func throttled() async throws {
        let server = try await ActivityFeedFixtures.server()
        let now = Date()
        for blob in ActivityFeedFixtures.standardBlobs(now: now) { server.add(blob) }
        var faults = ManagementActivityTestServer.Faults()
        faults.throttleOnce = ["blob-3"]
        server.setFaults(faults)
        let database = try DetectionFixtures.database()
        _ = try await ActivityFeedCollector(
            database: database, interest: .bypassOnly, request: ActivityFeedFixtures.request(server)
        ).run(now: now)
        #expect(server.requests.filter { $0.path.hasSuffix("/audit/blob-3") }.count == 2)
        #expect(try ActivityFeedFixtures.storedEventIDs(database).contains("bypass-3"))
        await server.stop()
    }

    @Test("a content type without a subscription is started, and the run says content may take 12 hours")
    func newSubscription() async throws {
        let server = try await ActivityFeedFixtures.server(enabled: [])
        let database = try DetectionFixtures.database()
        let collector = ActivityFeedCollector(
            database: database, interest: .bypassOnly, request: ActivityFeedFixtures.request(server))
        let now = Date()
        let summary = try await collector.run(now: now)
        #expect(server.enabledSubscriptions == ["Audit.Exchange"])
        #expect(summary.contentTypes[0].subscription == .startedNow)
        #expect(summary.contentTypes[0].blobsListed == 0)
        let next = try await collector.run(now: now.addingTimeInterval(3600))
        #expect(next.contentTypes[0].subscription == .startedRecently, "still inside the 12 hours")
        await server.stop()
    }

    @Test("--since older than 7 days: the lost window is recorded and no request asks the API for it")
    func lostWindow() async throws {
        let server = try await ActivityFeedFixtures.server()
        let database = try DetectionFixtures.database()
        let now = Date()
        let since = now.addingTimeInterval(-9 * 86_400)
        let summary = try await ActivityFeedCollector(
            database: database, interest: .bypassOnly, request: ActivityFeedFixtures.request(server, since: since)
        ).run(now: now)
        let lost = try #require(summary.contentTypes[0].lost)
        #expect(abs(lost.start.timeIntervalSince(since)) < 1)
        #expect(server.contentQueries.allSatisfy { $0.start >= now.addingTimeInterval(-7 * 86_400) })
        #expect(server.contentQueries.allSatisfy { $0.end.timeIntervalSince($0.start) <= 86_400 })
        let gaps = try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM activity_feed_gap") }
        #expect(gaps == 1)
        await server.stop()
    }

    @Test("the server refuses a window older than 7 days with AF20055; the client reports it")
    func serverRefusesOldWindow() async throws {
        let server = try await ActivityFeedFixtures.server()
        let request = ActivityFeedFixtures.request(server)
        await #expect(throws: ActivityFeedError.self) {
            try await withRemoteHTTPClient(request.http) { http in
                let tokens = AccessTokenProvider(
                    tenant: request.tenant, clientID: request.clientID, credential: request.credential,
                    endpoints: request.endpoints, http: http)
                let client = ActivityFeedClient(tenant: request.tenant, endpoints: request.endpoints, http: http, tokens: tokens)
                let start = Date().addingTimeInterval(-8 * 86_400)
                do {
                    _ = try await client.content(.exchange, from: start, to: start.addingTimeInterval(3600))
                } catch let error as ActivityFeedError {
                    #expect(error.description.contains("AF20055"))
                    throw error
                }
            }
        }
        await server.stop()
    }

    @Test("401 from the API: the error names tenant, content type and the ActivityFeed.Read permission")
    func unauthorized() async throws {
        let server = try await ActivityFeedFixtures.server()
        var faults = ManagementActivityTestServer.Faults()
        faults.unauthorized = true
        server.setFaults(faults)
        let database = try DetectionFixtures.database()
        do {
            _ = try await ActivityFeedCollector(
                database: database, interest: .bypassOnly, request: ActivityFeedFixtures.request(server)
            ).run()
            Issue.record("expected a refusal")
        } catch let error as ActivityFeedError {
            let text = error.description
            #expect(text.contains(ActivityFeedFixtures.tenant))
            #expect(text.contains("ActivityFeed.Read"))
            #expect(text.contains("Audit.Exchange"))
            #expect(text.contains("admin consent"))
        }
        await server.stop()
    }

    @Test("a wrong secret is refused by the token endpoint; the secret appears in no message")
    func wrongSecret() async throws {
        let server = try await ActivityFeedFixtures.server()
        let database = try DetectionFixtures.database()
        let wrong = "wrong-secret-value"
        do {
            _ = try await ActivityFeedCollector(
                database: database, interest: .bypassOnly,
                request: ActivityFeedFixtures.request(server, credential: .secret(Secret(wrong)))
            ).run()
            Issue.record("expected a refusal")
        } catch let error as ActivityFeedError {
            #expect(error.description.contains("AADSTS7000215"))
            #expect(!error.description.contains(wrong))
        }
        await server.stop()
    }

    @Test("certificate credential: the server verifies the RS256 assertion with the certificate's public key")
    func certificate() async throws {
        let folder = try TestPaths.temporaryDirectory()
        let testCertificate = try TestClientCertificate(directory: folder)
        let server = try await ActivityFeedFixtures.server(certificate: testCertificate)
        let now = Date()
        for blob in ActivityFeedFixtures.standardBlobs(now: now) { server.add(blob) }
        let credential = ClientCredential.certificate(
            try ClientCertificate(certificateFile: testCertificate.certificateFile, privateKeyFile: testCertificate.privateKeyFile))
        let database = try DetectionFixtures.database()
        _ = try await ActivityFeedCollector(
            database: database, interest: .bypassOnly, request: ActivityFeedFixtures.request(server, credential: credential)
        ).run(now: now)
        #expect(server.tokensIssued == 1)
        #expect(try ActivityFeedFixtures.storedEventIDs(database).count == 7)
        let tokenRequest = try #require(server.requests.first { $0.path.hasSuffix("/oauth2/v2.0/token") })
        let form = String(decoding: tokenRequest.body, as: UTF8.self)
        #expect(form.contains("client_assertion="))
        #expect(!form.contains("client_secret"))
        await server.stop()
    }

    @Test("a certificate whose key does not match is refused before any request")
    func mismatchedKey() throws {
        let folder = try TestPaths.temporaryDirectory()
        let one = try TestClientCertificate(directory: folder.appendingPathComponent("a", isDirectory: true).creatingDirectory())
        let two = try TestClientCertificate(directory: folder.appendingPathComponent("b", isDirectory: true).creatingDirectory())
        #expect(throws: ActivityFeedError.self) {
            try ClientCertificate(certificateFile: one.certificateFile, privateKeyFile: two.privateKeyFile)
        }
    }
}

extension URL {
    fileprivate func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
