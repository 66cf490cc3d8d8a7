import Core
import Foundation
import GRDB

/// One row of `bypass_change`: the stored form of a `BypassChangeFact`. The attacker-written text columns hold
/// `NULSafeText`, so a NUL inside a name survives.
package struct BypassChangeRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    package static let databaseTableName = "bypass_change"

    package var eventID: String
    var tenant: String
    var time: Double?
    var identity: String?
    var objectID: String?
    var actor: String?
    var clientIP: String?
    var direction: String
    var outcome: String
    var originalStatus: String?
    var succeeded: Bool
    var documentReadable: Bool

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case tenant, time, identity
        case objectID = "object_id"
        case actor
        case clientIP = "client_ip"
        case direction, outcome
        case originalStatus = "original_status"
        case succeeded
        case documentReadable = "document_readable"
    }

    /// Reads the columns by name directly: the synthesized `Decodable` path cost more than the rest of a drift run's
    /// inventory read at 200,000 rows.
    package init(row: Row) throws {
        try self.init(row: row, columns: try Columns(of: row))
    }

    /// Where each column sits in the rows of one query: found by name once, then read by position in every row (a
    /// look-up by name per column and row was a third of the inventory read at 200,000 rows).
    package struct Columns: Sendable {
        let eventID, tenant, time, identity, objectID, actor, clientIP: Int
        let direction, outcome, originalStatus, succeeded, documentReadable: Int

        /// The positions in `row` (and every row of the same query) of the table's columns, by name, looking only
        /// at the columns from `first` on (a query that selects other tables' columns before `bypass_change.*`, whose
        /// names may repeat ours, passes where ours begin).
        ///
        /// Queries read the full row by these positions rather than through a `ScopeAdapter`: GRDB decodes a column
        /// of an adapted row through a generic existential call, which made reading 200,000 alerts and changes most
        /// of a drift run; a plain statement row is read straight from SQLite.
        package init(of row: Row, from first: Int = 0) throws {
            let names = Array(row.columnNames)
            func position(_ key: CodingKeys) throws -> Int {
                // SQLite column names are case-insensitive; the tool's queries spell them as the table does.
                guard let index = names[first...].firstIndex(of: key.rawValue)
                    ?? names[first...].firstIndex(where: { $0.lowercased() == key.rawValue })
                else {
                    throw StoreError.undecodableRow(
                        table: BypassChangeRow.databaseTableName, row: "?", column: key.rawValue, value: "no such column")
                }
                return index
            }
            eventID = try position(.eventID)
            tenant = try position(.tenant)
            time = try position(.time)
            identity = try position(.identity)
            objectID = try position(.objectID)
            actor = try position(.actor)
            clientIP = try position(.clientIP)
            direction = try position(.direction)
            outcome = try position(.outcome)
            originalStatus = try position(.originalStatus)
            succeeded = try position(.succeeded)
            documentReadable = try position(.documentReadable)
        }
    }

    /// Reads the columns at `columns`, found in an earlier row of the same query.
    package init(row: Row, columns: Columns) throws {
        var repeated = RepeatedText()
        try self.init(row: row, columns: columns, repeated: &repeated)
    }

    /// `init(row:columns:)`, keeping one copy of the names (identity, object id, actor, client IP) that earlier
    /// rows of the same read already hold.
    init(row: Row, columns: Columns, repeated: inout RepeatedText) throws {
        eventID = try row.decode(String.self, atIndex: columns.eventID)
        tenant = try row.decode(String.self, atIndex: columns.tenant)
        time = try row.decode(Double?.self, atIndex: columns.time)
        identity = repeated.shared(NULSafeText.decode(try row.decode(String?.self, atIndex: columns.identity)))
        objectID = repeated.shared(NULSafeText.decode(try row.decode(String?.self, atIndex: columns.objectID)))
        actor = repeated.shared(NULSafeText.decode(try row.decode(String?.self, atIndex: columns.actor)))
        clientIP = repeated.shared(NULSafeText.decode(try row.decode(String?.self, atIndex: columns.clientIP)))
        direction = try row.decode(String.self, atIndex: columns.direction)
        outcome = try row.decode(String.self, atIndex: columns.outcome)
        originalStatus = try row.decode(String?.self, atIndex: columns.originalStatus)
        succeeded = try row.decode(Bool.self, atIndex: columns.succeeded)
        documentReadable = try row.decode(Bool.self, atIndex: columns.documentReadable)
    }

    /// Written column by column rather than through `Encodable`: ingest stores a row per bypass change.
    package func encode(to container: inout PersistenceContainer) {
        container[CodingKeys.eventID.rawValue] = eventID
        container[CodingKeys.tenant.rawValue] = tenant
        container[CodingKeys.time.rawValue] = time
        container[CodingKeys.identity.rawValue] = identity
        container[CodingKeys.objectID.rawValue] = objectID
        container[CodingKeys.actor.rawValue] = actor
        container[CodingKeys.clientIP.rawValue] = clientIP
        container[CodingKeys.direction.rawValue] = direction
        container[CodingKeys.outcome.rawValue] = outcome
        container[CodingKeys.originalStatus.rawValue] = originalStatus
        container[CodingKeys.succeeded.rawValue] = succeeded
        container[CodingKeys.documentReadable.rawValue] = documentReadable
    }

    init(_ fact: BypassChangeFact) {
        eventID = fact.eventID
        tenant = fact.tenant.rawValue
        time = fact.time?.timeIntervalSince1970
        identity = NULSafeText.encode(fact.identity)
        objectID = NULSafeText.encode(fact.objectID)
        actor = NULSafeText.encode(fact.actor)
        clientIP = NULSafeText.encode(fact.clientIP)
        direction = fact.direction.rawValue
        outcome = fact.outcome.rawValue
        originalStatus = fact.originalStatus
        succeeded = fact.succeeded
        documentReadable = fact.documentReadable
    }

    /// The fact this row stores; a value no version of the tool writes is an error naming the row, never a default.
    /// `knownTenant`: the tenant asked for, reused when the row's text matches (TenantID's normalising init costs
    /// more than the rest of the row; the stored text is normalised).
    package func fact(knownTenant: TenantID? = nil) throws -> BypassChangeFact {
        guard let direction = BypassDirection(rawValue: direction) else {
            throw StoreError.undecodableRow(table: Self.databaseTableName, row: eventID, column: "direction", value: direction)
        }
        guard let outcome = EventOutcome(rawValue: outcome) else {
            throw StoreError.undecodableRow(table: Self.databaseTableName, row: eventID, column: "outcome", value: outcome)
        }
        let storedTenant = knownTenant.flatMap { $0.rawValue == tenant ? $0 : nil } ?? TenantID(tenant)
        return BypassChangeFact(
            eventID: eventID, tenant: storedTenant, time: time.map(Date.init(timeIntervalSince1970:)),
            identity: identity, objectID: objectID, actor: actor, clientIP: clientIP, direction: direction,
            outcome: outcome, originalStatus: originalStatus, succeeded: succeeded, documentReadable: documentReadable)
    }
}
