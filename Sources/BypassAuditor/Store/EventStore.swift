import Foundation
import GRDB

/// Stored events: insertion (once per `event.id`, chained in the ledger when it is a bypass change) and look-ups.
public enum EventStore {
    /// Where a stored event came from.
    public struct Origin: Sendable, Hashable {
        public var inputFileID: Int64?
        public var line: Int?
        public var ingestRunID: Int64?

        public init(inputFileID: Int64? = nil, line: Int? = nil, ingestRunID: Int64? = nil) {
            self.inputFileID = inputFileID
            self.line = line
            self.ingestRunID = ingestRunID
        }
    }

    /// One stored event with its bookkeeping.
    public struct StoredEvent: Sendable, Hashable {
        public var event: AuditEvent
        /// SQLite rowid: increases with insertion, so "events not yet evaluated" is `rowid > watermark`.
        public var rowID: Int64
        public var ingestedAt: Date
        public var inputPath: String?
        public var line: Int?
    }

    /// Stores `event` unless an event with its id is already stored. Returns true when it was new.
    ///
    /// `event.ingested` is set to `ingestedAt` (the time the tool stored it, as rules with `timestamp_override`
    /// expect). Bypass changes are appended to the ledger in the same transaction.
    @discardableResult
    public static func insert(_ db: Database, _ event: AuditEvent, origin: Origin = Origin(), ingestedAt: Date = Date())
        throws -> Bool
    {
        guard let id = event.id else { return false }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM event WHERE event_id = ?", arguments: [id]) == true {
            return false
        }
        var stored = event
        stored[ECSField.ingested] = .string(UTCTimestamp.format(ingestedAt))
        let document = try stored.canonicalJSON()
        let timestamp = event.timestamp.map(UTCTimestamp.format) ?? ""
        try db.execute(
            sql: """
                INSERT INTO event (event_id, tenant, timestamp, ingested_at, action, outcome, actor, document,
                                   input_file_id, line, ingest_run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, event.tenant.rawValue, timestamp, UTCTimestamp.format(ingestedAt), event.action ?? "",
                event.outcome.rawValue, event.actor, document, origin.inputFileID, origin.line, origin.ingestRunID,
            ])
        if event.isBypassChange {
            try Ledger.append(db, kind: .bypassChange, ref: id, content: document, at: ingestedAt)
        }
        return true
    }

    /// Stored events, oldest first by event time, optionally narrowed by tenant, action and time range [from, to).
    public static func events(
        _ db: Database, tenant: TenantID? = nil, action: String? = nil, from: Date? = nil, to: Date? = nil
    ) throws -> [StoredEvent] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let tenant {
            clauses.append("e.tenant = ?")
            _ = arguments.append(contentsOf: [tenant.rawValue])
        }
        if let action {
            clauses.append("e.action = ?")
            _ = arguments.append(contentsOf: [action])
        }
        if let from {
            clauses.append("e.timestamp >= ?")
            _ = arguments.append(contentsOf: [UTCTimestamp.format(from)])
        }
        if let to {
            clauses.append("e.timestamp < ?")
            _ = arguments.append(contentsOf: [UTCTimestamp.format(to)])
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try fetch(db, where: filter, arguments: arguments, order: "e.timestamp, e.rowid")
    }

    /// Events stored after `rowID` (insertion order): what a detector has not yet evaluated.
    public static func events(insertedAfter rowID: Int64, limit: Int? = nil, _ db: Database) throws -> [StoredEvent] {
        let limitClause = limit.map { " LIMIT \($0)" } ?? ""
        return try fetch(db, where: "WHERE e.rowid > ?", arguments: [rowID], order: "e.rowid" + limitClause)
    }

    /// One event by id.
    public static func event(id: String, _ db: Database) throws -> StoredEvent? {
        try fetch(db, where: "WHERE e.event_id = ?", arguments: [id], order: "e.rowid").first
    }

    /// Every tenant that has stored events.
    public static func tenants(_ db: Database) throws -> [TenantID] {
        try String.fetchAll(db, sql: "SELECT DISTINCT tenant FROM event ORDER BY tenant").map(TenantID.init)
    }

    private static func fetch(_ db: Database, where filter: String, arguments: StatementArguments, order: String)
        throws -> [StoredEvent]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT e.rowid AS rowid, e.document, e.ingested_at, e.line, f.path
                FROM event e LEFT JOIN input_file f ON f.id = e.input_file_id
                \(filter) ORDER BY \(order)
                """, arguments: arguments)
        return try rows.map { row in
            StoredEvent(
                event: try AuditEvent(canonicalJSON: row["document"]),
                rowID: row["rowid"],
                ingestedAt: UTCTimestamp.parse(row["ingested_at"]) ?? Date(timeIntervalSince1970: 0),
                inputPath: row["path"],
                line: row["line"])
        }
    }
}
