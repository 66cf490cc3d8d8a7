import Foundation
import GRDB

/// The fields of one stored `Set-MailboxAuditBypassAssociation` event that the inventory reads.
struct BypassRecord: Sendable, Hashable {
    var eventID: String
    /// `@timestamp` at full precision; nil when the record has none that parses.
    var time: Date?
    /// The event's rowid in the `event` table.
    var rowID: Int64
    /// When the tool stored it, as stored (parsed only when needed: records without an event time).
    var ingestedAtText: String
    /// `organization.id` as the document says.
    var tenant: TenantID
    var actor: String?
    var clientIP: String?
    var identity: String?
    var objectID: String?
    var direction: BypassDirection
    var outcome: EventOutcome
    var originalStatus: String?
    /// False when the stored document is not JSON any more: nothing but its id can be read.
    var readable: Bool

    init(event: AuditEvent, rowID: Int64, ingestedAtText: String) {
        eventID = event.id ?? ""
        time = event.timestamp
        self.rowID = rowID
        self.ingestedAtText = ingestedAtText
        tenant = event.tenant
        actor = event.actor
        clientIP = event.clientIP
        identity = event.parameter("Identity")
        objectID = event.objectID
        direction = event.bypassDirection
        outcome = event.outcome
        originalStatus = event.originalStatus
        readable = true
    }

    init(
        eventID: String, time: Date?, rowID: Int64, ingestedAtText: String, tenant: TenantID, actor: String?,
        clientIP: String?, identity: String?, objectID: String?, direction: BypassDirection, outcome: EventOutcome,
        originalStatus: String?, readable: Bool = true
    ) {
        self.eventID = eventID
        self.time = time
        self.rowID = rowID
        self.ingestedAtText = ingestedAtText
        self.tenant = tenant
        self.actor = actor
        self.clientIP = clientIP
        self.identity = identity
        self.objectID = objectID
        self.direction = direction
        self.outcome = outcome
        self.originalStatus = originalStatus
        self.readable = readable
    }

    /// A record whose document cannot be read.
    static func unreadable(eventID: String, rowID: Int64, ingestedAtText: String, tenant: TenantID) -> BypassRecord {
        BypassRecord(
            eventID: eventID, time: nil, rowID: rowID, ingestedAtText: ingestedAtText, tenant: tenant, actor: nil,
            clientIP: nil, identity: nil, objectID: nil, direction: .unknown, outcome: .unknown, originalStatus: nil,
            readable: false)
    }

    var ingestedAt: Date { UTCTimestamp.parse(ingestedAtText) ?? Date(timeIntervalSince1970: 0) }

    /// Whether the cmdlet took effect. Elastic maps a missing or unknown `ResultStatus` to success, and a document
    /// without `event.outcome` is read the same way unless its own status says it failed: a bypass that may have
    /// been set is reported rather than hidden.
    var succeeded: Bool {
        switch outcome {
        case .success: true
        case .failure: false
        case .unknown: EventOutcome(resultStatus: originalStatus) == .success
        }
    }

    /// Event time first (records without one sort first, by insertion), insertion order breaks ties.
    static func isEarlier(_ lhs: BypassRecord, _ rhs: BypassRecord) -> Bool {
        switch (lhs.time, rhs.time) {
        case let (left?, right?) where left != right: return left < right
        case (nil, _?): return true
        case (_?, nil): return false
        default: return lhs.rowID < rhs.rowID
        }
    }
}

/// Reads the bypass records of a tenant: from the `bypass_record` projection where an event has been projected,
/// else straight from its stored document.
enum BypassRecordSource {
    /// Every stored bypass record of `tenant`, oldest first by event time (full precision), then by insertion.
    static func records(_ db: Database, tenant: TenantID) throws -> [BypassRecord] {
        // The (tenant, action, timestamp) index holds every rowid needed: the large documents are not touched.
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.rowid, p.event_id, p.time, p.ingested_at, p.tenant, p.actor, p.client_ip, p.identity,
                       p.object_id, p.direction, p.outcome, p.original_status, p.readable
                FROM event e INDEXED BY event_by_action_time
                LEFT JOIN bypass_record p ON p.event_rowid = e.rowid
                WHERE e.tenant = ? AND e.action = ?
                ORDER BY e.timestamp, e.rowid
                """,
            arguments: [tenant.rawValue, ECSField.bypassCmdlet])
        var records: [BypassRecord] = []
        var unprojected: [Int64] = []
        while let row = try cursor.next() {
            let rowID: Int64 = row[0]
            guard let eventID: String = row[1] else {
                unprojected.append(rowID)
                continue
            }
            records.append(projected(row, rowID: rowID, eventID: eventID, tenant: tenant))
        }
        // The index gives millisecond order; sort only when finer fractions or unprojected events disturb it.
        if !unprojected.isEmpty {
            records += try extracted(db, rowIDs: unprojected)
        }
        if !zip(records, records.dropFirst()).allSatisfy({ !BypassRecord.isEarlier($1, $0) }) {
            records.sort(by: BypassRecord.isEarlier)
        }
        return records
    }

    private static func projected(_ row: Row, rowID: Int64, eventID: String, tenant: TenantID) -> BypassRecord {
        let time: Double? = row[2]
        let tenantText: String = row[4]
        return BypassRecord(
            eventID: eventID, time: time.map(Date.init(timeIntervalSince1970:)), rowID: rowID, ingestedAtText: row[3],
            // TenantID's normalising init costs more than the rest of the row; the stored text is normalised.
            tenant: tenantText == tenant.rawValue ? tenant : TenantID(tenantText), actor: row[5], clientIP: row[6], identity: row[7], objectID: row[8],
            direction: BypassDirection(rawValue: row[9]) ?? .unknown, outcome: EventOutcome(rawValue: row[10]) ?? .unknown,
            originalStatus: row[11], readable: row[12])
    }

    // MARK: - From the documents

    /// The fields read, in the column order of the extraction query.
    private static let paths: [String] = [
        ECSField.timestamp, ECSField.userID, ECSField.clientIP, ECSField.sourceIP, ECSField.objectID,
        ECSField.resultStatus, ECSField.outcome, ECSField.parametersPrefix + "Identity",
        ECSField.parametersPrefix + "AuditBypassEnabled", ECSField.organizationID,
    ]

    /// The records of the events with these rowids, read from their documents with SQLite's JSON functions
    /// (decoding each document with Foundation would cost tens of microseconds more).
    static func extracted(_ db: Database, rowIDs: [Int64]) throws -> [BypassRecord] {
        var records: [BypassRecord] = []
        records.reserveCapacity(rowIDs.count)
        var needsFullDecode: [Int64] = []
        let firstPathColumn = 4
        var columns: [String] = []
        for _ in paths {
            // json_valid guards the JSON functions: one unreadable document (a tampered file) must not hide the rest.
            columns.append(
                "CASE WHEN json_valid(document) THEN json_type(document, ?) END, "
                    + "CASE WHEN json_valid(document) THEN json_extract(document, ?) END")
        }
        let pathArguments = paths.flatMap { ["$.\"\($0)\"", "$.\"\($0)\""] }
        // Bound in chunks: SQLite caps the number of parameters of one statement.
        for start in stride(from: 0, to: rowIDs.count, by: 500) {
            let chunk = Array(rowIDs[start..<min(start + 500, rowIDs.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT rowid, event_id, ingested_at, json_valid(document), \(columns.joined(separator: ", "))
                    FROM event WHERE rowid IN (\(marks))
                    """,
                arguments: StatementArguments(
                    pathArguments.map { $0 as (any DatabaseValueConvertible)? } + chunk.map { $0 as (any DatabaseValueConvertible)? }))
            while let row = try cursor.next() {
                let rowID: Int64 = row[0]
                let eventID: String = row[1]
                let ingestedAt: String = row[2]
                guard row[3] as Bool == true else {
                    records.append(
                        .unreadable(eventID: eventID, rowID: rowID, ingestedAtText: ingestedAt, tenant: .unknown))
                    continue
                }
                var values: [String?] = []
                var scalar = true
                for index in paths.indices {
                    switch keyword(row, type: firstPathColumn + 2 * index, value: firstPathColumn + 2 * index + 1) {
                    case .value(let text): values.append(text)
                    case .list:
                        // A list: its first keyword is what AuditEvent reads; the full decoder handles that shape.
                        scalar = false
                        values.append(nil)
                    }
                }
                guard scalar else {
                    needsFullDecode.append(rowID)
                    continue
                }
                records.append(
                    BypassRecord(
                        eventID: eventID, time: values[0].flatMap(UTCTimestamp.parse), rowID: rowID,
                        ingestedAtText: ingestedAt, tenant: TenantID(values[9] ?? ""), actor: values[1],
                        clientIP: values[2] ?? values[3], identity: values[7], objectID: values[4],
                        direction: direction(values[8]), outcome: EventOutcome(ecsValue: values[6]),
                        originalStatus: values[5]))
            }
        }
        for rowID in needsFullDecode {
            guard let row = try Row.fetchOne(
                db, sql: "SELECT event_id, document, ingested_at FROM event WHERE rowid = ?", arguments: [rowID])
            else { continue }
            if let event = try? AuditEvent(canonicalJSON: row["document"]) {
                records.append(BypassRecord(event: event, rowID: rowID, ingestedAtText: row["ingested_at"]))
            } else {
                records.append(
                    .unreadable(eventID: row["event_id"], rowID: rowID, ingestedAtText: row["ingested_at"], tenant: .unknown))
            }
        }
        return records
    }

    /// `BypassDirection(parameterValue:)`, with the spellings Exchange writes answered without Foundation's trimming.
    private static func direction(_ value: String?) -> BypassDirection {
        switch value {
        case "True", "true": .enabled
        case "False", "false": .removed
        default: BypassDirection(parameterValue: value)
        }
    }

    /// A document field read through `json_type`/`json_extract` columns.
    enum Keyword {
        /// The field's keyword as `AuditEvent.string` gives it (nil when absent or empty).
        case value(String?)
        /// A list or object: only a full decode reads it as AuditEvent does.
        case list
    }

    /// The keyword of the field whose JSON type and value sit in columns `type` and `value` of `row` (by position:
    /// looking columns up by name costs more than the rest of the read).
    static func keyword(_ row: Row, type typeColumn: Int, value valueColumn: Int) -> Keyword {
        let type: String? = row[typeColumn]
        switch type {
        case nil, "null":
            return .value(nil)
        case "text":
            let text: String = row[valueColumn]
            return .value(text.isEmpty ? nil : text)
        case "integer":
            let number: Int64 = row[valueColumn]
            return .value(String(number))
        case "real":
            let number: Double = row[valueColumn]
            return .value(FieldValue.double(number).keyword)
        case "true":
            return .value("true")
        case "false":
            return .value("false")
        default:
            return .list
        }
    }
}
