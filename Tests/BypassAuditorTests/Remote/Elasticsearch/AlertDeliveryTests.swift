import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Detection
@testable import Remote

/// Alerts to a cluster: `create` operations with stable ids, per-item outcomes, delivered only once acknowledged.
@Suite("Elasticsearch: alert delivery")
struct AlertDeliveryTests {
    @Test("the bulk body is NDJSON create actions with the alert's id, ending with a newline")
    func bulkBody() throws {
        let body = ElasticsearchBulk.body(
            index: "logs-bypass_auditor.alerts-default",
            items: [.init(id: "a1", document: "{\"x\":1}"), .init(id: "a2", document: "{\"x\":2}")])
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5)
        #expect(lines.last == "")
        #expect(try JSONTree.parse(Data(lines[0].utf8)) == ["create": ["_index": "logs-bypass_auditor.alerts-default", "_id": "a1"]])
        #expect(lines[3] == "{\"x\":2}")
    }

    @Test("per-item outcomes: created and already-present are acknowledged, the rest fail with their reason")
    func bulkOutcomes() throws {
        // The shape of a bulk response with "errors": true (Bulk API reference).
        let response: JSONTree = [
            "took": 30, "errors": true,
            "items": [
                ["create": ["_index": "alerts", "_id": "a", "status": 201, "result": "created", "_version": 1]],
                ["create": ["_index": "alerts", "_id": "b", "status": 409,
                            "error": ["type": "version_conflict_engine_exception", "reason": "[b]: version conflict, document already exists"]]],
                ["create": ["_index": "alerts", "_id": "c", "status": 400,
                            "error": ["type": "document_parsing_exception", "reason": "failed to parse field [x]"]]],
                ["create": ["_index": "alerts", "_id": "d", "status": 429,
                            "error": ["type": "es_rejected_execution_exception", "reason": "rejected execution"]]],
            ],
        ]
        let outcomes = try ElasticsearchBulk.outcomes(from: response)
        #expect(outcomes["a"] == .acknowledged)
        #expect(outcomes["b"] == .acknowledged)
        #expect(outcomes["c"] == .failed(status: 400, reason: "document_parsing_exception: failed to parse field [x]", retryable: false))
        #expect(outcomes["d"] == .failed(status: 429, reason: "es_rejected_execution_exception: rejected execution", retryable: true))
    }

    @Test("an alert stays undelivered until acknowledged; a failed attempt keeps it pending")
    func deliveryState() throws {
        let database = try DetectionFixtures.database()
        try DetectionFixtures.insert(
            [DetectionFixtures.bypass(id: "1", enabled: true), DetectionFixtures.bypass(id: "2", enabled: false)],
            into: database)
        let result = try Detector(database: database, rules: DetectionFixtures.shippedRules()).run(now: DetectionFixtures.base)
        #expect(result.newAlerts.count == 2)
        let destination = "http://127.0.0.1:9200|alerts"
        var pending = try database.read { db in try AlertDeliveryStore.undelivered(db, destination: destination) }
        #expect(pending.count == 2)
        try database.write { db in
            try AlertDeliveryRecords.markDelivered(db, alertID: pending[0].id, destination: destination, documentID: "x", at: Date())
            try AlertDeliveryRecords.markFailed(db, alertID: pending[1].id, destination: destination, documentID: "y", error: "429")
        }
        pending = try database.read { db in try AlertDeliveryStore.undelivered(db, destination: destination) }
        #expect(pending.map(\.eventID) == [result.newAlerts[1].eventID])
        let other = try database.read { db in try AlertDeliveryStore.undelivered(db, destination: "elsewhere") }
        #expect(other.count == 2, "delivery is per destination")
    }
}
