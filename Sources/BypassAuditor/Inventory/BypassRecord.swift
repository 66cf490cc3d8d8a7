import Foundation
import GRDB

/// The fields of one stored `Set-MailboxAuditBypassAssociation` event that the inventory reads.
struct BypassRecord: Sendable, Hashable {
    var eventID: String
    /// `@timestamp` at full precision; nil when the record has none that parses.
    var time: Date?
    var rowID: Int64
    var ingestedAt: Date
    var tenant: TenantID
    var actor: String?
    var clientIP: String?
    var identity: String?
    var objectID: String?
    var direction: BypassDirection
    var outcome: EventOutcome
    var originalStatus: String?

    init(event: AuditEvent, rowID: Int64, ingestedAt: Date) {
        eventID = event.id ?? ""
        time = event.timestamp
        self.rowID = rowID
        self.ingestedAt = ingestedAt
        tenant = event.tenant
        actor = event.actor
        clientIP = event.clientIP
        identity = event.parameter("Identity")
        objectID = event.objectID
        direction = event.bypassDirection
        outcome = event.outcome
        originalStatus = event.originalStatus
    }

    init(
        eventID: String, time: Date?, rowID: Int64, ingestedAt: Date, tenant: TenantID, actor: String?,
        clientIP: String?, identity: String?, objectID: String?, direction: BypassDirection, outcome: EventOutcome,
        originalStatus: String?
    ) {
        self.eventID = eventID
        self.time = time
        self.rowID = rowID
        self.ingestedAt = ingestedAt
        self.tenant = tenant
        self.actor = actor
        self.clientIP = clientIP
        self.identity = identity
        self.objectID = objectID
        self.direction = direction
        self.outcome = outcome
        self.originalStatus = originalStatus
    }

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

    /// The names the record gives for its target object: the Identity as typed and the ObjectId, each with the
    /// object's own name inside a DN or canonical path.
    var targetNames: [AccountName] {
        var seen = Set<String>()
        return ([identity, objectID].compactMap { $0 }.flatMap(AccountName.names(in:))).filter {
            seen.insert($0.key).inserted
        }
    }
}

/// Reads bypass records straight from the stored documents with SQLite's JSON functions: decoding every document
/// with Foundation would cost tens of microseconds each, and drift over 200,000 changes must finish in under a second.
enum BypassRecordSource {
    /// The fields read, in the column order of the query.
    private static let paths: [String] = [
        ECSField.timestamp, ECSField.userID, ECSField.clientIP, ECSField.sourceIP, ECSField.objectID,
        ECSField.resultStatus, ECSField.outcome, ECSField.parametersPrefix + "Identity",
        ECSField.parametersPrefix + "AuditBypassEnabled",
    ]

    /// Every stored bypass record of `tenant`, oldest first by event time (full precision), then by insertion.
    static func records(_ db: Database, tenant: TenantID) throws -> [BypassRecord] {
        var columns: [String] = []
        var arguments: StatementArguments = []
        for (index, path) in paths.enumerated() {
            columns.append("json_type(document, ?) AS t\(index), json_extract(document, ?) AS v\(index)")
            let jsonPath = "$.\"\(path)\""
            _ = arguments.append(contentsOf: [jsonPath, jsonPath])
        }
        _ = arguments.append(contentsOf: [tenant.rawValue, ECSField.bypassCmdlet])
        // json_valid guards the JSON functions: one unreadable document (a tampered file) must not hide the rest.
        let sql = """
            SELECT rowid, event_id, ingested_at, \(columns.joined(separator: ", "))
            FROM event WHERE tenant = ? AND action = ? AND json_valid(document)
            ORDER BY timestamp, rowid
            """
        var records: [BypassRecord] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var needsFullDecode: [Int64] = []
        while let row = try cursor.next() {
            let rowID: Int64 = row["rowid"]
            var values: [String?] = []
            var scalar = true
            for index in paths.indices {
                switch keyword(row, type: "t\(index)", value: "v\(index)") {
                case .value(let text): values.append(text)
                case .list:
                    // A list: its first keyword is what AuditEvent reads; the full decoder handles that shape.
                    scalar = false
                    values.append(nil)
                }
            }
            let ingestedAt = UTCTimestamp.parse(row["ingested_at"] as String) ?? Date(timeIntervalSince1970: 0)
            guard scalar else {
                needsFullDecode.append(rowID)
                records.append(
                    BypassRecord(
                        eventID: row["event_id"], time: nil, rowID: rowID, ingestedAt: ingestedAt, tenant: tenant,
                        actor: nil, clientIP: nil, identity: nil, objectID: nil, direction: .unknown, outcome: .unknown,
                        originalStatus: nil))
                continue
            }
            records.append(
                BypassRecord(
                    eventID: row["event_id"], time: values[0].flatMap(UTCTimestamp.parse), rowID: rowID,
                    ingestedAt: ingestedAt, tenant: tenant, actor: values[1], clientIP: values[2] ?? values[3],
                    identity: values[7], objectID: values[4],
                    direction: BypassDirection(parameterValue: values[8]),
                    outcome: EventOutcome(ecsValue: values[6]), originalStatus: values[5]))
        }
        if !needsFullDecode.isEmpty {
            let decoded = try fullyDecoded(db, rowIDs: Set(needsFullDecode))
            records = records.map { decoded[$0.rowID] ?? $0 }
        }
        return records.sorted(by: isEarlier)
    }

    /// A document field read through `json_type`/`json_extract` columns.
    enum Keyword {
        /// The field's keyword as `AuditEvent.string` gives it (nil when absent or empty).
        case value(String?)
        /// A list or object: only a full decode reads it as AuditEvent does.
        case list
    }

    /// The keyword of the field whose JSON type and value sit in columns `type` and `value` of `row`.
    static func keyword(_ row: Row, type typeColumn: String, value valueColumn: String) -> Keyword {
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

    /// Events whose document is not valid JSON: kept as indeterminate rather than dropped.
    static func unreadableEventIDs(_ db: Database, tenant: TenantID) throws -> [(eventID: String, ingestedAt: Date)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT event_id, ingested_at FROM event
                WHERE tenant = ? AND action = ? AND NOT json_valid(document) ORDER BY rowid
                """,
            arguments: [tenant.rawValue, ECSField.bypassCmdlet]
        ).map { row in
            (row["event_id"], UTCTimestamp.parse(row["ingested_at"] as String) ?? Date(timeIntervalSince1970: 0))
        }
    }

    private static func fullyDecoded(_ db: Database, rowIDs: Set<Int64>) throws -> [Int64: BypassRecord] {
        var result: [Int64: BypassRecord] = [:]
        for rowID in rowIDs {
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT document, ingested_at FROM event WHERE rowid = ?", arguments: [rowID]),
                let event = try? AuditEvent(canonicalJSON: row["document"])
            else { continue }
            let ingestedAt = UTCTimestamp.parse(row["ingested_at"] as String) ?? Date(timeIntervalSince1970: 0)
            result[rowID] = BypassRecord(event: event, rowID: rowID, ingestedAt: ingestedAt)
        }
        return result
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
