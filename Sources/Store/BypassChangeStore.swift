import Core
import Foundation
import GRDB

/// Reads the stored bypass-change facts (`bypass_change`, written by `EventStore.insert`): what the inventory, drift
/// and the report know about each change, without reading event documents.
public enum BypassChangeStore {
    /// Every stored bypass change of `tenant`, oldest first by event time (full precision), then by insertion.
    public static func changes(_ db: Database, tenant: TenantID) throws -> [StoredBypassChange] {
        try fetch(db, where: "c.tenant = ?", arguments: [tenant.rawValue], tenant: tenant)
    }

    /// Every stored bypass change of every tenant, in insertion order (for `verify`).
    public static func all(_ db: Database) throws -> [StoredBypassChange] {
        try fetch(db, where: "1 = 1", arguments: [], tenant: nil).sorted { $0.rowID < $1.rowID }
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

    private static func fetch(_ db: Database, where filter: String, arguments: StatementArguments, tenant: TenantID?)
        throws -> [StoredBypassChange]
    {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.rowid, e.ingested_at, c.* FROM bypass_change c JOIN event e ON e.event_id = c.event_id
                WHERE \(filter) ORDER BY c.time, e.rowid
                """, arguments: arguments, adapter: ScopeAdapter(["change": SuffixRowAdapter(fromIndex: 2)]))
        var changes: [StoredBypassChange] = []
        while let row = try cursor.next() {
            guard let changeRow = row.scopes["change"] else { continue }
            let fact = try BypassChangeRow(row: changeRow).fact(knownTenant: tenant)
            changes.append(
                StoredBypassChange(
                    fact: fact, rowID: row[0],
                    ingestedAt: try EventStore.ingestedAt(row[1], table: EventRow.databaseTableName, row: fact.eventID)))
        }
        // SQL orders NULL times first, as `isEarlier` does; sorting again only guards Double ties at equal times.
        if !zip(changes, changes.dropFirst()).allSatisfy({ !StoredBypassChange.isEarlier($1, $0) }) {
            changes.sort(by: StoredBypassChange.isEarlier)
        }
        return changes
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
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT e.document, c.* FROM bypass_change c LEFT JOIN event e ON e.event_id = c.event_id
                ORDER BY c.rowid
                """, adapter: ScopeAdapter(["change": SuffixRowAdapter(fromIndex: 1)]))
        return try rows.map { row in
            let changeRow = try BypassChangeRow(row: row.scopes["change"] ?? row)
            let fact: Result<BypassChangeFact, StoreError>
            do { fact = .success(try changeRow.fact()) } catch let error as StoreError { fact = .failure(error) }
            return FactAndDocument(eventID: changeRow.eventID, fact: fact, document: row["document"])
        }
    }
}
