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
        inOrder(try fetch(db, where: "c.tenant = ?", arguments: [tenant.rawValue], order: "c.time, c.rowid", tenant: tenant))
    }

    /// One of two parts of `changes(_:tenant:)`, split at the event time `split` of the way in (`splitTime`), for
    /// reading them on two connections at once (`AuditDatabase.readConcurrently`): the earlier part (changes without
    /// a time, then those before the split) and the later part (the split time on), each in `changes`' order.
    /// `joined(earlier:later:)` puts them back together. Both parts must come from one state of the database, and
    /// be read with the same `split`.
    public static func changes(_ db: Database, tenant: TenantID, part: Part, split share: Split = .threeFifths) throws
        -> [StoredBypassChange]
    {
        guard let split = try splitTime(db, tenant: tenant, share: share) else {
            return part == .earlier ? try changes(db, tenant: tenant) : []
        }
        guard part == .earlier else {
            return try fetch(
                db, where: "c.tenant = ? AND c.time >= ?", arguments: [tenant.rawValue, split], order: "c.time, c.rowid",
                tenant: tenant)
        }
        // Read as two ranges of the index, changes without a time first: as one condition
        // (`time IS NULL OR time < ?`) SQLite walked every change of the tenant to find the earlier part.
        let (untimed, timed): (String, String) = ("c.tenant = ? AND c.time IS NULL", "c.tenant = ? AND c.time < ?")
        let timedArguments: StatementArguments = [tenant.rawValue, split]
        var changes = try fetch(
            db, where: untimed, arguments: [tenant.rawValue], order: "c.rowid", tenant: tenant,
            capacity: try count(db, where: untimed, arguments: [tenant.rawValue]) + count(db, where: timed, arguments: timedArguments))
        try fetch(db, where: timed, arguments: timedArguments, order: "c.time, c.rowid", tenant: tenant, appendingTo: &changes)
        return changes
    }

    /// The two parts of `changes(_:tenant:part:split:)`.
    public enum Part: Sendable {
        case earlier, later
    }

    /// How far into a tenant's timed changes the later part starts, in fifths: where the two threads reading the
    /// parts finish together, given what each does next.
    public struct Split: Sendable, Hashable {
        public let earlierFifths: Int

        /// Drift: the thread that reads the later part goes on to count the period's alerts and take the register,
        /// the other to put the inventory together.
        public static let threeFifths = Split(earlierFifths: 3)
        /// A report: every change is in the earlier part. The other thread reads every alert of the period whole,
        /// counts them and shares their event ids, as long as reading every change and putting the inventory together
        /// (with a fifth of the changes as well, it finished a third of a second after the inventory at scale).
        public static let whole = Split(earlierFifths: 5)

        private init(earlierFifths: Int) {
            self.earlierFifths = earlierFifths
        }
    }

    /// `changes(_:tenant:)` from its two parts, read through both in place (`StoredBypassChangeList`).
    public static func joined(earlier: [StoredBypassChange], later: [StoredBypassChange]) -> StoredBypassChangeList {
        let list = StoredBypassChangeList(earlier: earlier, later: later)
        // Each part is in order and the later starts at the split time; this only guards Double ties at equal times.
        return list.isInOrder ? list : StoredBypassChangeList(Array(list).sorted(by: StoredBypassChange.isEarlier))
    }

    /// The event time `share` of the way into the tenant's timed changes (through `bypass_change_by_tenant_time`),
    /// nil when none has one.
    private static func splitTime(_ db: Database, tenant: TenantID, share: Split) throws -> Double? {
        // Every change in the earlier part (`Split.whole`): there is no later part to start, and nothing to count.
        guard share.earlierFifths < 5 else { return nil }
        let timed = "FROM bypass_change c WHERE c.tenant = ? AND c.time IS NOT NULL"
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(timed)", arguments: [tenant.rawValue]) ?? 0
        guard count > 0 else { return nil }
        return try Double.fetchOne(
            db, sql: "SELECT c.time \(timed) ORDER BY c.time LIMIT 1 OFFSET ?", arguments: [tenant.rawValue, count * share.earlierFifths / 5])
    }

    /// `changes` in `StoredBypassChange.isEarlier` order. SQL orders NULL times first, as `isEarlier` does; sorting
    /// again only guards Double ties at equal times.
    private static func inOrder(_ changes: [StoredBypassChange]) -> [StoredBypassChange] {
        StoredBypassChangeList(changes).isInOrder ? changes : changes.sorted(by: StoredBypassChange.isEarlier)
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

    /// How many changes `filter` selects (through the same index as the read).
    private static func count(_ db: Database, where filter: String, arguments: StatementArguments) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bypass_change c WHERE \(filter)", arguments: arguments) ?? 0
    }

    /// The changes `filter` selects, in `order`, in an array reserved for `capacity` (else for exactly those).
    private static func fetch(
        _ db: Database, where filter: String, arguments: StatementArguments, order: String, tenant: TenantID?,
        capacity: Int? = nil
    ) throws -> [StoredBypassChange] {
        // Reserved exactly (one count through the same index): growing by doubling held up to twice the changes.
        var changes: [StoredBypassChange] = []
        changes.reserveCapacity(try capacity ?? count(db, where: filter, arguments: arguments))
        try fetch(db, where: filter, arguments: arguments, order: order, tenant: tenant, appendingTo: &changes)
        return changes
    }

    /// The changes `filter` selects, in `order`, appended to `changes`.
    private static func fetch(
        _ db: Database, where filter: String, arguments: StatementArguments, order: String, tenant: TenantID?,
        appendingTo changes: inout [StoredBypassChange]
    ) throws {
        let statement = try db.makeStatement(
            sql: """
                SELECT c.rowid,
                    CASE WHEN c.time IS NULL THEN (SELECT e.ingested_at FROM event e WHERE e.event_id = c.event_id) END,
                    c.*
                FROM bypass_change c WHERE \(filter) ORDER BY \(order)
                """)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let positions = try BypassChangeRow.Columns(of: statement, from: 2)
        let columns = StatementColumns(statement, table: BypassChangeRow.databaseTableName)
        var repeated = RepeatedText()
        // Every change names the tenant: each read (drift reads two at once) names it with a copy of its own.
        let tenant = tenant?.ownCopy
        while try cursor.next() != nil {
            let fact = try BypassChangeRow(columns, columns: positions, repeated: &repeated).fact(knownTenant: tenant)
            let ingestedAt = fact.time == nil ? columns.optionalString(1) : nil
            changes.append(StoredBypassChange(fact: fact, rowID: columns.int64(0), effectiveTime: try effectiveTime(of: fact, ingestedAt)))
        }
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
