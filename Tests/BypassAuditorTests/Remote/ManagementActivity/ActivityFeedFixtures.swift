import Foundation
import TestSupport

import BypassAuditor
@testable import Core
@testable import Remote
@testable import Store

/// Records and blobs for the Management Activity API tests: records in the API's schema (CreationTime, Id,
/// Operation, OrganizationId, Parameters…), blobs as the JSON arrays the API serves.
enum ActivityFeedFixtures {
    static let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
    static let clientID = "6f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
    static let secret = "s3cr3t+/=value"

    static func bypass(id: String, identity: String, at time: Date) -> [String: Any] {
        [
            "CreationTime": String(UTCTimestamp.format(time).prefix(19)), "Id": id,
            "Operation": "Set-MailboxAuditBypassAssociation", "OrganizationId": tenant, "RecordType": 1,
            "ResultStatus": "True", "UserId": "admin@contoso.com", "Workload": "Exchange", "ObjectId": identity,
            "Parameters": [["Name": "Identity", "Value": identity], ["Name": "AuditBypassEnabled", "Value": "True"]],
        ]
    }

    static func noise(id: String, at time: Date) -> [String: Any] {
        [
            "CreationTime": String(UTCTimestamp.format(time).prefix(19)), "Id": id, "Operation": "MailItemsAccessed",
            "OrganizationId": tenant, "RecordType": 50, "ResultStatus": "Succeeded", "UserId": "j.doe@contoso.com",
            "Workload": "Exchange",
        ]
    }

    static func blob(_ id: String, created: Date, _ records: [[String: Any]]) -> ManagementActivityTestServer.Blob {
        .init(contentId: id, created: created, body: try! JSONSerialization.data(withJSONObject: records))
    }

    /// Seven blobs over the last two days, listed out of time order, each holding one bypass record and one other.
    static func standardBlobs(now: Date) -> [ManagementActivityTestServer.Blob] {
        let hoursAgo = [30, 5, 47, 2, 20, 12, 40]
        return hoursAgo.enumerated().map { index, hours in
            let created = now.addingTimeInterval(-Double(hours) * 3600)
            return blob(
                "blob-\(index)", created: created,
                [bypass(id: "bypass-\(index)", identity: "svc-\(index)@contoso.com", at: created.addingTimeInterval(-3600)),
                 noise(id: "noise-\(index)", at: created.addingTimeInterval(-3000))])
        }
    }

    static func server(
        enabled: Set<String> = ["Audit.Exchange"], certificate: TestClientCertificate? = nil
    ) async throws -> ManagementActivityTestServer {
        try await ManagementActivityTestServer(
            tenant: tenant, clientID: clientID, clientSecret: secret, certificate: certificate, enabled: enabled)
    }

    static func request(
        _ server: ManagementActivityTestServer, credential: ClientCredential = .secret(Secret(secret)),
        since: Date? = nil
    ) -> ActivityCollectRequest {
        ActivityCollectRequest(
            tenant: tenant, clientID: clientID, credential: credential,
            // The test server stands in for both hosts; the scope stays the commercial cloud's.
            endpoints: ManagementEndpoints(cloud: .commercial, loginBaseURL: server.baseURL, manageBaseURL: server.baseURL),
            since: since, http: .loopback(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))))
    }

    static func storedEventIDs(_ database: AuditDatabase) throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT event_id FROM event ORDER BY event_id") }
    }
}
