import Foundation
import GRDB

/// Keeps the `bypass_record` projection: the fields of each stored bypass event that the inventory reads, so that
/// a view of 200,000 changes does not parse 200,000 JSON documents.
///
/// The projection is a cache, never the evidence: `InventoryBuilder.view` reads any event not projected yet from
/// its document, and `verify` checks every projected row against the document it came from.
public enum InventoryIndex {
    /// Projects one bypass event just stored with `EventStore.insert` (inside the same transaction), so the
    /// projection never lags behind ingest.
    public static func record(_ db: Database, event: AuditEvent, rowID: Int64, ingestedAt: Date) throws {
        guard event.isBypassChange else { return }
        try insert(db, BypassRecord(event: event, rowID: rowID, ingestedAtText: UTCTimestamp.format(ingestedAt)))
    }

    /// Projects every stored bypass event that is not projected yet (or whose rowid now holds another event).
    /// Returns how many were added. Call it in a write transaction after an ingest.
    @discardableResult
    public static func refresh(_ db: Database) throws -> Int {
        let missing = try Int64.fetchAll(
            db,
            sql: """
                SELECT e.rowid FROM event e LEFT JOIN bypass_record p ON p.event_rowid = e.rowid
                WHERE e.action = ? AND (p.event_rowid IS NULL OR p.event_id <> e.event_id)
                ORDER BY e.rowid
                """,
            arguments: [ECSField.bypassCmdlet])
        guard !missing.isEmpty else { return 0 }
        let records = try BypassRecordSource.extracted(db, rowIDs: missing)
        for record in records { try insert(db, record) }
        return records.count
    }

    static func insert(_ db: Database, _ record: BypassRecord) throws {
        // A cached statement: compiling it again for each of 200,000 rows would cost more than the inserts.
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO bypass_record
                  (event_rowid, event_id, tenant, time, ingested_at, actor, client_ip, identity, object_id,
                   original_status, direction, outcome, readable)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(
            arguments: [
                record.rowID, record.eventID, record.tenant.rawValue, record.time?.timeIntervalSince1970,
                record.ingestedAtText, record.actor, record.clientIP, record.identity, record.objectID,
                record.originalStatus, record.direction.rawValue, record.outcome.rawValue, record.readable,
            ])
    }
}
