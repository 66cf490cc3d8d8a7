import Foundation
import GRDB

/// One row of `event`: a stored normalised event with its indexed columns and origin.
struct EventRow: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "event"

    var eventID: String
    var tenant: String
    /// `UTCTimestamp.format` of `@timestamp` (sorts as time); empty when the record has none that parses.
    var timestamp: String
    var ingestedAt: String
    var action: String
    var outcome: String
    var actor: String?
    /// `AuditEvent.canonicalJSON()`: the evidence the ledger chains.
    var document: String
    var inputFileID: Int64?
    var line: Int?
    var ingestRunID: Int64?

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case tenant, timestamp
        case ingestedAt = "ingested_at"
        case action, outcome, actor, document
        case inputFileID = "input_file_id"
        case line
        case ingestRunID = "ingest_run_id"
    }

    /// Written column by column rather than through `Encodable`: ingest stores a row per event (200,000 in a month at
    /// scale), and the synthesized path was a tenth of it.
    func encode(to container: inout PersistenceContainer) {
        container[CodingKeys.eventID.rawValue] = eventID
        container[CodingKeys.tenant.rawValue] = tenant
        container[CodingKeys.timestamp.rawValue] = timestamp
        container[CodingKeys.ingestedAt.rawValue] = ingestedAt
        container[CodingKeys.action.rawValue] = action
        container[CodingKeys.outcome.rawValue] = outcome
        container[CodingKeys.actor.rawValue] = actor
        container[CodingKeys.document.rawValue] = document
        container[CodingKeys.inputFileID.rawValue] = inputFileID
        container[CodingKeys.line.rawValue] = line
        container[CodingKeys.ingestRunID.rawValue] = ingestRunID
    }
}
