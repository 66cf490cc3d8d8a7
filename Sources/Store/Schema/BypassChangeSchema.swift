import Core
import Foundation
import GRDB

/// `bypass_change`: the typed fact of each stored bypass event (`BypassChangeFact`), written by `EventStore.insert`
/// in the event's transaction. Replaces `bypass_record`, the projection that was filled on read.
enum BypassChangeSchema {
    static func createV2(_ db: Database) throws {
        try db.create(table: BypassChangeRow.databaseTableName) { t in
            // No foreign key: an event deleted outside the tool must stay detectable (verify), not be blocked or cascaded.
            t.primaryKey("event_id", .text)
            t.column("tenant", .text).notNull()
            t.column("time", .double)  // @timestamp, seconds since 1970, full precision; NULL: the record has none
            t.column("identity", .text)
            t.column("object_id", .text)
            t.column("actor", .text)
            t.column("client_ip", .text)
            t.column("direction", .text).notNull()
            t.column("outcome", .text).notNull()
            t.column("original_status", .text)
            t.column("succeeded", .boolean).notNull()
            t.column("document_readable", .boolean).notNull()
        }
        try db.create(index: "bypass_change_by_tenant_time", on: BypassChangeRow.databaseTableName, columns: ["tenant", "time"])
        try backfill(db)
        // A database made between the two versions of `v1-inventory` never had the projection: IF EXISTS.
        try db.execute(sql: "DROP TABLE IF EXISTS bypass_record")
    }

    /// Derives the fact of every bypass event stored before this migration, once, from its stored document.
    private static func backfill(_ db: Database) throws {
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT event_id, tenant, timestamp, document FROM event WHERE action = ? ORDER BY rowid",
            arguments: [ECSField.bypassCmdlet])
        while let row = try cursor.next() {
            let eventID: String = row["event_id"]
            let document: String = row["document"]
            let fact: BypassChangeFact
            if let event = try? AuditEvent(canonicalJSON: document), let derived = BypassChangeFact(event: event),
                derived.eventID == eventID
            {
                fact = derived
            } else {
                // A document edited outside the tool (verify reports it): keep what the indexed columns say and
                // leave direction and outcome unknown rather than guess.
                fact = BypassChangeFact(
                    eventID: eventID, tenant: TenantID(row["tenant"] as String),
                    time: UTCTimestamp.parse(row["timestamp"] as String), identity: nil, objectID: nil, actor: nil,
                    clientIP: nil, direction: .unknown, outcome: .unknown, originalStatus: nil, documentReadable: false)
            }
            try BypassChangeRow(fact).insert(db)
        }
    }
}
