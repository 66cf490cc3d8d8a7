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
        eventID = try row.decode(String.self, forColumn: CodingKeys.eventID.rawValue)
        tenant = try row.decode(String.self, forColumn: CodingKeys.tenant.rawValue)
        time = try row.decode(Double?.self, forColumn: CodingKeys.time.rawValue)
        identity = NULSafeText.decode(try row.decode(String?.self, forColumn: CodingKeys.identity.rawValue))
        objectID = NULSafeText.decode(try row.decode(String?.self, forColumn: CodingKeys.objectID.rawValue))
        actor = NULSafeText.decode(try row.decode(String?.self, forColumn: CodingKeys.actor.rawValue))
        clientIP = NULSafeText.decode(try row.decode(String?.self, forColumn: CodingKeys.clientIP.rawValue))
        direction = try row.decode(String.self, forColumn: CodingKeys.direction.rawValue)
        outcome = try row.decode(String.self, forColumn: CodingKeys.outcome.rawValue)
        originalStatus = try row.decode(String?.self, forColumn: CodingKeys.originalStatus.rawValue)
        succeeded = try row.decode(Bool.self, forColumn: CodingKeys.succeeded.rawValue)
        documentReadable = try row.decode(Bool.self, forColumn: CodingKeys.documentReadable.rawValue)
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
