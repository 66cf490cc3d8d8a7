import Detection
import Store
import Foundation

/// `detect --to-elasticsearch` / `watch --to-elasticsearch`: every alert the destination has not acknowledged yet
/// goes out as its ECS document (the `--ndjson` line) in `_bulk` `create` operations, `_id` = the alert's stable
/// uuid, so a resend after a lost answer never duplicates (409 = already there = acknowledged).
///
/// Alerts whose items fail are retried in this run when the failure is retryable (429, 5xx) and otherwise stay
/// undelivered with their error recorded, so the next run sends them again: nothing is dropped.
public struct ElasticsearchAlertDelivery: Sendable {
    public static let defaultIndex = "logs-bypass_auditor.alerts-default"

    /// What one delivery did.
    public struct Summary: Sendable, Hashable, Codable {
        /// Alerts the cluster acknowledged in this run (created, or already present from an earlier send).
        public var delivered = 0
        /// Alerts still undelivered after this run, each with the cluster's reason.
        public var failed: [Failure] = []

        public struct Failure: Sendable, Hashable, Codable {
            public var alertId: Int64
            public var documentId: String
            public var reason: String
        }
    }

    public let client: ElasticsearchClient
    public let database: AuditDatabase
    public let rules: RuleSet
    public let index: String
    public let batchSize: Int

    public init(client: ElasticsearchClient, database: AuditDatabase, rules: RuleSet, index: String = Self.defaultIndex, batchSize: Int = 500) {
        self.client = client
        self.database = database
        self.rules = rules
        self.index = index
        self.batchSize = max(1, batchSize)
    }

    /// The destination as the delivery state names it: cluster URL (no credentials) and index.
    public var destination: String { ElasticsearchIngest.describe(client.baseURL) + "|" + index }

    public func deliver() async throws -> Summary {
        var summary = Summary()
        let pending = try database.read { db in try AlertDeliveryStore.undelivered(db, destination: destination) }
        var start = 0
        while start < pending.count {
            let batch = Array(pending[start..<min(start + batchSize, pending.count)])
            start += batch.count
            try await deliver(batch, into: &summary)
        }
        return summary
    }

    private func deliver(_ alerts: [Alert], into summary: inout Summary) async throws {
        var items: [String: (alert: Alert, item: ElasticsearchBulk.Item)] = [:]
        for alert in alerts {
            let event = try database.read { db in try EventStore.event(id: alert.eventID, db) }?.event
            let id = AlertDocument.uuid(ruleID: alert.ruleID, eventID: alert.eventID)
            let line = try AlertDocument.line(for: alert, event: event, rule: rules.rule(id: alert.ruleID))
            items[id] = (alert, .init(id: id, document: line))
        }
        var remaining = alerts.map { AlertDocument.uuid(ruleID: $0.ruleID, eventID: $0.eventID) }
        let policy = client.http.configuration.retry
        var attempt = 0
        while !remaining.isEmpty {
            attempt += 1
            let outcomes = try await client.bulkCreate(index: index, items: remaining.compactMap { items[$0]?.item })
            var retry: [String] = []
            for id in remaining {
                guard let (alert, _) = items[id] else { continue }
                switch outcomes[id] ?? .failed(status: 0, reason: "not in the bulk response", retryable: true) {
                case .acknowledged:
                    try database.write { db in
                        try AlertDeliveryRecords.markDelivered(db, alertID: alert.id, destination: destination, documentID: id, at: Date())
                    }
                    summary.delivered += 1
                case .failed(_, _, let retryable) where retryable && attempt < policy.maxAttempts:
                    retry.append(id)
                case .failed(let status, let reason, _):
                    let text = "\(status) \(reason)"
                    try database.write { db in
                        try AlertDeliveryRecords.markFailed(db, alertID: alert.id, destination: destination, documentID: id, error: text)
                    }
                    summary.failed.append(.init(alertId: alert.id, documentId: id, reason: text))
                }
            }
            remaining = retry
            if !remaining.isEmpty { try await Task.sleep(for: policy.delay(afterAttempt: attempt)) }
        }
    }
}
