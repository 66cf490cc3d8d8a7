import Core
import Foundation
import GRDB

/// Reads the stored bypass-change facts (`bypass_change`, written by `EventStore.insert`): what the inventory, drift
/// and the report know about each change, without reading event documents.
public enum BypassChangeStore {
    /// Every stored bypass change of `tenant`, oldest first by event time (full precision), then by insertion.
    ///
    /// Walks `bypass_change_by_tenant_time`, whose entries end in the rowid, so SQLite returns them in this order
    /// without sorting; the event row is read only for a change without an event time (for its ingest time).
    public static func changes(_ db: Database, tenant: TenantID) throws -> [StoredBypassChange] {
        var changes = try fetch(
            db, where: "c.tenant = ?", arguments: [tenant.rawValue], order: "c.time, c.rowid", tenant: tenant)
        // SQL orders NULL times first, as `isEarlier` does; sorting again only guards Double ties at equal times.
        if !zip(changes, changes.dropFirst()).allSatisfy({ !StoredBypassChange.isEarlier($1, $0) }) {
            changes.sort(by: StoredBypassChange.isEarlier)
        }
        return changes
    }

    /// Every stored bypass change of every tenant, in insertion order (for `verify`).
    public static func all(_ db: Database) throws -> [StoredBypassChange] {
        try fetch(db, where: "1 = 1", arguments: [], order: "c.rowid", tenant: nil)
    }

    /// Tenants that have stored bypass changes, sorted.
    public static func tenants(_ db: Database) throws -> [TenantID] {
        try String.fetchAll(db, sql: "SELECT DISTINCT tenant FROM bypass_change ORDER BY tenant").map(TenantID.init)
    }

    /// Stored events of the bypass cmdlet that have no fact: inserted outside the tool (for `verify`).
    public static func eventsWithoutFact(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT e.event_id FROM event e LEFT JOIN bypass_change c ON c.event_id = e.event_id
                WHERE e.action = ? AND c.event_id IS NULL ORDER BY e.rowid
                """, arguments: [ECSField.bypassCmdlet])
    }

    private static func fetch(
        _ db: Database, where filter: String, arguments: StatementArguments, order: String, tenant: TenantID?
    ) throws -> [StoredBypassChange] {
        let statement = try db.makeStatement(
            sql: """
                SELECT c.rowid,
                    CASE WHEN c.time IS NULL THEN (SELECT e.ingested_at FROM event e WHERE e.event_id = c.event_id) END,
                    c.*
                FROM bypass_change c WHERE \(filter) ORDER BY \(order)
                """)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        // Reserved exactly (one count through the same index): growing by doubling held up to twice the changes.
        var changes: [StoredBypassChange] = []
        changes.reserveCapacity(
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bypass_change c WHERE \(filter)", arguments: arguments) ?? 0)
        let positions = try BypassChangeRow.Columns(of: statement, from: 2)
        let columns = StatementColumns(statement, table: BypassChangeRow.databaseTableName)
        var repeated = RepeatedText()
        while try cursor.next() != nil {
            let fact = try BypassChangeRow(columns, columns: positions, repeated: &repeated).fact(knownTenant: tenant)
            let ingestedAt = fact.time == nil ? columns.optionalString(1) : nil
            changes.append(StoredBypassChange(fact: fact, rowID: columns.int64(0), effectiveTime: try effectiveTime(of: fact, ingestedAt)))
        }
        return changes
    }

    /// The fact's event time, else its event's ingest time (`ingestedAt`, read only for such a fact). A fact without
    /// a time whose event row is gone has no time at all: an error naming it, never a guess.
    private static func effectiveTime(of fact: BypassChangeFact, _ ingestedAt: String?) throws -> Date {
        if let time = fact.time { return time }
        guard let ingestedAt else {
            throw StoreError.undecodableRow(
                table: EventRow.databaseTableName, row: fact.eventID, column: "ingested_at", value: "")
        }
        return try EventStore.ingestedAt(ingestedAt, table: EventRow.databaseTableName, row: fact.eventID)
    }
}

extension BypassChangeStore {
    /// A stored fact beside the document it was derived from, for `verify` (the one reader of both).
    public struct FactAndDocument: Sendable {
        public var eventID: String
        /// The stored fact, or the error that names what in its row does not decode.
        public var fact: Result<BypassChangeFact, StoreError>
        /// The event's stored document; nil when the event row is gone.
        public var document: String?
    }

    /// Every stored fact with its event's document, in insertion order of the facts.
    public static func factsWithDocuments(_ db: Database) throws -> [FactAndDocument] {
        let statement = try db.makeStatement(
            sql: """
                SELECT e.document, c.* FROM bypass_change c LEFT JOIN event e ON e.event_id = c.event_id
                ORDER BY c.rowid
                """)
        let columns = try BypassChangeRow.Columns(of: statement, from: 1)
        let cursor = try Row.fetchCursor(statement)
        var facts: [FactAndDocument] = []
        while let row = try cursor.next() {
            let changeRow = try BypassChangeRow(statement, columns: columns)
            let fact: Result<BypassChangeFact, StoreError>
            do { fact = .success(try changeRow.fact()) } catch let error as StoreError { fact = .failure(error) }
            facts.append(FactAndDocument(eventID: changeRow.eventID, fact: fact, document: row[0]))
        }
        return facts
    }
}
