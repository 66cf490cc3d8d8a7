import Core
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
        /// What ingest derived from it when it is a bypass change (nil otherwise).
        public var bypassChange: BypassChangeFact?
    }

    /// Stores `event` unless an event with its id is already stored. Returns the new row's id, or nil when the
    /// event was a duplicate (or has no id).
    ///
    /// `event.ingested` is set to `ingestedAt` (the time the tool stored it, as rules with `timestamp_override`
    /// expect). A bypass change also gets, in the same transaction, its `BypassChangeFact` (derived here, once) and
    /// its ledger entry; any other event its `stored-event` entry.
    @discardableResult
    public static func insert(_ db: Database, _ event: AuditEvent, origin: Origin = Origin(), ingestedAt: Date = Date())
        throws -> Int64?
    {
        guard let id = event.id else { return nil }
        // A cached statement: this runs for every event ingest stores.
        let isStored = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM event WHERE event_id = ?)"), arguments: [id])
        if isStored == true { return nil }
        var stored = event
        stored[ECSField.ingested] = .string(UTCTimestamp.format(ingestedAt))
        let document = try stored.canonicalJSON()
        let row = EventRow(
            eventID: id, tenant: event.tenant.rawValue, timestamp: event.timestamp.map(UTCTimestamp.format) ?? "",
            ingestedAt: UTCTimestamp.format(ingestedAt), action: event.action ?? "", outcome: event.outcome.rawValue,
            actor: event.actor, document: document, inputFileID: origin.inputFileID, line: origin.line,
            ingestRunID: origin.ingestRunID)
        try row.insert(db)
        let rowID = db.lastInsertedRowID
        if let fact = BypassChangeFact(event: event) {
            try BypassChangeRow(fact).insert(db)
            try ChainedTable.bypassEvent.record(db, key: [id], at: ingestedAt)
        } else {
            try ChainedTable.storedEvent.record(db, key: [id])
        }
        return rowID
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

    /// The rowid of the newest stored event (insertion order); nil while none is stored. A detection run reads up to
    /// it, so events stored during the run wait for the next one.
    public static func newestRowID(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MAX(rowid) FROM event")
    }

    /// One event by id.
    public static func event(id: String, _ db: Database) throws -> StoredEvent? {
        try fetch(db, where: "WHERE e.event_id = ?", arguments: [id], order: "e.rowid").first
    }

    /// The newest event time `tenant` has stored in `first...last`. Stored timestamps are fixed-width UTC
    /// (`…T10:44:18.123Z`), so text order is time order and the time index answers it.
    public static func newestEventTime(_ db: Database, tenant: TenantID, from first: Date, through last: Date) throws
        -> Date?
    {
        guard first <= last else { return nil }
        // Walks the time index back from `last` to the tenant's first event: left to itself, SQLite chose the
        // (tenant, action, time) index and read every event of the tenant (50 ms at 200,000).
        let text = try String.fetchOne(
            db,
            sql: """
                SELECT timestamp FROM event INDEXED BY event_by_time
                WHERE tenant = ? AND timestamp >= ? AND timestamp <= ? ORDER BY timestamp DESC LIMIT 1
                """,
            arguments: [tenant.rawValue, UTCTimestamp.format(first), UTCTimestamp.format(last)])
        guard let text else { return nil }
        guard let instant = UTCTimestamp.parse(text) else {
            throw StoreError.undecodableRow(table: "event", row: "newest of \(tenant)", column: "timestamp", value: text)
        }
        return instant
    }

    /// Every tenant that has stored events.
    public static func tenants(_ db: Database) throws -> [TenantID] {
        try String.fetchAll(db, sql: "SELECT DISTINCT tenant FROM event ORDER BY tenant").map(TenantID.init)
    }

    private static func fetch(_ db: Database, where filter: String, arguments: StatementArguments, order: String)
        throws -> [StoredEvent]
    {
        let statement = try db.makeStatement(
            sql: """
                SELECT e.rowid AS rowid, e.event_id, e.document, e.ingested_at, e.line, f.path, c.*
                FROM event e LEFT JOIN input_file f ON f.id = e.input_file_id
                LEFT JOIN bypass_change c ON c.event_id = e.event_id
                \(filter) ORDER BY \(order)
                """)
        let columns = try BypassChangeRow.Columns(of: statement, from: 6)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var events: [StoredEvent] = []
        while let row = try cursor.next() {
            let eventID: String = row[1]
            // The change's own event_id is NULL when the event has no bypass-change fact (the left join found none).
            let change = row.hasNull(atIndex: columns.eventID) ? nil : try BypassChangeRow(statement, columns: columns).fact()
            events.append(
                StoredEvent(
                    event: try AuditEvent(canonicalJSON: row[2]),
                    rowID: row[0],
                    ingestedAt: try ingestedAt(row[3], table: EventRow.databaseTableName, row: eventID),
                    inputPath: row[5],
                    line: row[4],
                    bypassChange: change))
        }
        return events
    }

    /// A stored `ingested_at`, which the tool always writes: one that does not parse is an error naming the row.
    static func ingestedAt(_ text: String, table: String, row: String) throws -> Date {
        guard let date = UTCTimestamp.parse(text) else {
            throw StoreError.undecodableRow(table: table, row: row, column: "ingested_at", value: text)
        }
        return date
    }
}
