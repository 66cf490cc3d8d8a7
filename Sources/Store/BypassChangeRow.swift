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

    /// Where each column sits in the rows of one query: found by name once, then read by position in every row (a
    /// look-up by name per column and row was a third of the inventory read at 200,000 rows).
    package struct Columns: Sendable {
        let eventID, tenant, time, identity, objectID, actor, clientIP: Int
        let direction, outcome, originalStatus, succeeded, documentReadable: Int

        /// The positions in `statement`'s rows of the table's columns, by name, looking only at the columns from
        /// `first` on (a query that selects other tables' columns before `bypass_change.*`, whose names may repeat
        /// ours, passes where ours begin).
        package init(of statement: Statement, from first: Int = 0) throws {
            let names = statement.columnNames
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

    /// Reads the current row of `statement` (stepped by a cursor) at `columns`, found in the same statement.
    package init(_ statement: Statement, columns: Columns) throws {
        var repeated = RepeatedText()
        try self.init(StatementColumns(statement, table: Self.databaseTableName), columns: columns, repeated: &repeated)
    }

    /// Reads the current row at `columns`, keeping one copy of the texts (tenant, names, status) that earlier rows
    /// of the same read already hold, without making a `String` for them again.
    init(_ row: StatementColumns, columns: Columns, repeated: inout RepeatedText) throws {
        let eventID = try row.string(columns.eventID, row: "?", column: CodingKeys.eventID.rawValue)
        func text(_ index: Int, _ key: CodingKeys) throws -> String {
            try row.withRequiredText(index, row: eventID, column: key.rawValue) { repeated.shared(storedText: $0) { $0 } }
        }
        func name(_ index: Int) -> String? {
            row.withText(index) { bytes in repeated.shared(stored: bytes, decode: NULSafeText.decode) }
        }
        self.eventID = eventID
        tenant = try text(columns.tenant, .tenant)
        time = row.isNull(columns.time) ? nil : row.double(columns.time)
        identity = name(columns.identity)
        objectID = name(columns.objectID)
        actor = name(columns.actor)
        clientIP = name(columns.clientIP)
        direction = try text(columns.direction, .direction)
        outcome = try text(columns.outcome, .outcome)
        originalStatus = row.withText(columns.originalStatus) { bytes in repeated.shared(stored: bytes) { $0 } }
        succeeded = row.bool(columns.succeeded)
        documentReadable = row.bool(columns.documentReadable)
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
