import Core
import Foundation
import GRDB

extension SourceCrossCheck {
    // MARK: - Bypass changes chained with their whole document (`bypass-change`, databases from before `bypass-event`)

    /// The document fields the `event` table's indexed columns are derived from (as `EventStore.insert` does).
    private static let derivedPaths = [
        ECSField.organizationID, ECSField.timestamp, ECSField.ingested, ECSField.action, ECSField.outcome,
        ECSField.userID,
    ]

    /// With `includingDocuments` false, a bypass event whose `action` column was rewritten is found by its chain
    /// entry alone (the document scan that also finds one inserted with another `action` is left to `verify`).
    package static func bypassChanges(_ db: Database, includingDocuments: Bool) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let fields = documentFieldColumns(derivedPaths)
        var arguments = fields.arguments
        _ = arguments.append(contentsOf: [Ledger.Kind.bypassChange.rawValue])
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT l.seq, l.ref, e.event_id AS stored_id, e.document = l.content AS same_document,
                       e.tenant, e.timestamp, e.ingested_at, e.action, e.outcome, e.actor, e.document,
                       \(fields.sql)
                FROM ledger l LEFT JOIN event e ON e.event_id = l.ref
                WHERE l.kind = ? ORDER BY l.seq
                """,
            arguments: arguments)
        let kind = Ledger.Kind.bypassChange.rawValue
        while let row = try cursor.next() {
            let seq: Int64 = row["seq"]
            let ref: String = row["ref"]
            guard (row["stored_id"] as String?) != nil else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: seq, entryKind: kind, ref: ref, table: "event",
                        detail: "the chained bypass event was deleted"))
                continue
            }
            guard row["same_document"] as Bool? == true else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: seq, entryKind: kind, ref: ref, table: "event",
                        detail: "the stored document differs from the chained one: the event was edited"))
                continue
            }
            let expected = derivedColumns(row)
            let stored: [String: String] = [
                "tenant": row["tenant"], "timestamp": row["timestamp"], "ingested_at": row["ingested_at"],
                "action": row["action"], "outcome": row["outcome"], "actor": row["actor"] ?? "",
            ]
            let changed = stored.keys.sorted().filter { stored[$0] != expected[$0] }
            if !changed.isEmpty {
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: seq, entryKind: kind, ref: ref, table: "event",
                        detail: "column\(changed.count == 1 ? "" : "s") \(changed.joined(separator: ", ")) no longer "
                            + "match\(changed.count == 1 ? "es" : "") the chained document: the event was edited"))
            }
        }
        // Every bypass event must be chained as one, whatever its indexed `action` column says.
        let byDocument = includingDocuments ? "OR (json_valid(e.document) AND json_extract(e.document, ?) = ?)" : ""
        var unchainedArguments: StatementArguments = [ECSField.bypassCmdlet]
        if includingDocuments {
            _ = unchainedArguments.append(contentsOf: ["$.\"\(ECSField.action)\"", ECSField.bypassCmdlet])
        }
        _ = unchainedArguments.append(contentsOf: [kind, Ledger.Kind.bypassEvent.rawValue])
        let unchained = try Row.fetchAll(
            db,
            sql: """
                SELECT e.event_id FROM event e
                WHERE (e.action = ? \(byDocument))
                  AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind IN (?, ?) AND l.ref = e.event_id)
                ORDER BY e.rowid
                """,
            arguments: unchainedArguments)
        for row in unchained {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: row["event_id"], table: "event",
                    detail: "a bypass event that is not in the chain: it was inserted outside the tool"))
        }
        return problems
    }

    /// The inventory, drift and the report read bypass changes through `bypass_change`, the facts ingest derived:
    /// a fact that no longer says what its event's document says would change them without touching the evidence.
    /// Facts chained themselves (`bypass-event`) are held to their entry instead; this derives again only the facts
    /// of events chained as `bypass-change`, whose entries hold the document alone.
    package static func bypassChangeFacts(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let table = "bypass_change"
        for stored in try factsWithDerivations(db) {
            // Events deleted since are reported by the chain check (their entries lose their row).
            guard stored.hasDocument else { continue }
            let fact: BypassChangeFact
            switch stored.fact {
            case .success(let value): fact = value
            case .failure(let error):
                problems.append(.undecodable(error, seq: nil, entryKind: nil, ref: stored.eventID, table: table))
                continue
            }
            let derived = stored.derived
                ?? stored.document.flatMap { try? AuditEvent(canonicalJSON: $0) }.flatMap(BypassChangeFact.init(event:))
            // A fact backfilled at upgrade from a document that no longer decoded: the event check reports the
            // document; the fact itself claims nothing it could not read.
            if !fact.documentReadable, derived == nil { continue }
            let fields = derived.map { differingFields(fact, $0) } ?? ["document"]
            if !fields.isEmpty {
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: nil, entryKind: nil, ref: stored.eventID, table: table,
                        detail: "the stored bypass change differs from its event's document "
                            + "(\(fields.joined(separator: ", "))): it was edited"))
            }
        }
        for eventID in try BypassChangeStore.eventsWithoutFact(db) {
            problems.append(
                IntegrityProblem(
                    kind: .rowDeleted, seq: nil, entryKind: nil, ref: eventID, table: table,
                    detail: "the bypass event has no stored bypass change: the inventory does not see it"))
        }
        return problems
    }

    /// A stored fact with its event's document and, when SQLite could read every field the fact derives from as a
    /// plain string or boolean, the fact derived from those fields (nil: decode the document in full).
    struct FactAndDerivation {
        var eventID: String
        var fact: Result<BypassChangeFact, StoreError>
        /// Whether the event row still exists.
        var hasDocument: Bool
        /// The document, kept only when `derived` is nil (holding 200,000 documents would serve nothing).
        var document: String?
        var derived: BypassChangeFact?
    }

    /// The document fields `BypassChangeFact.init(event:)` reads.
    private static let factPaths = [
        ECSField.action, ECSField.eventID, ECSField.organizationID, ECSField.timestamp, ECSField.parametersPrefix + "Identity",
        ECSField.objectID, ECSField.userID, ECSField.clientIP, ECSField.sourceIP,
        ECSField.parametersPrefix + "AuditBypassEnabled", ECSField.outcome, ECSField.resultStatus,
    ]

    /// Every stored fact with its document, in insertion order of the facts. Decoding 200,000 documents into
    /// `AuditEvent`s took most of every drift and report run (they verify first); SQLite extracts the few fields a
    /// fact derives from instead. Only strings, booleans and absent fields are taken from SQLite; any other shape (a
    /// list, a number, null) leaves `derived` nil, and the caller decodes that document as before.
    private static func factsWithDerivations(_ db: Database) throws -> [FactAndDerivation] {
        let fields = documentFieldColumns(factPaths)
        let firstChangeColumn = 3 + 2 * factPaths.count
        // `has_nul`: SQLite hands extracted text to GRDB cut at a NUL (`\u0000` in the document), so such a document
        // is decoded in full instead.
        let statement = try db.makeStatement(
            sql: """
                SELECT e.document,
                       CASE WHEN json_valid(e.document) THEN json_type(e.document) END AS document_type,
                       instr(e.document, '\\u0000') > 0 AS has_nul,
                       \(fields.sql), c.*
                FROM bypass_change c LEFT JOIN event e ON e.event_id = c.event_id
                WHERE NOT EXISTS (SELECT 1 FROM ledger m WHERE m.kind = ? AND m.ref = c.event_id)
                ORDER BY c.rowid
                """)
        let cursor = try Row.fetchCursor(statement, arguments: fields.arguments + [Ledger.Kind.bypassEvent.rawValue])
        let positions = try BypassChangeRow.Columns(of: statement, from: firstChangeColumn)
        var result: [FactAndDerivation] = []
        while let row = try cursor.next() {
            let changeRow = try BypassChangeRow(statement, columns: positions)
            let fact: Result<BypassChangeFact, StoreError>
            do { fact = .success(try changeRow.fact()) } catch let error as StoreError { fact = .failure(error) }
            let document: String? = row[0]
            var derived: BypassChangeFact?
            if document != nil, (row[1] as String?) == "object", (row[2] as Bool?) != true {
                // The extracted fields as the event that holds them, so `BypassChangeFact(event:)` stays the one
                // derivation; a field of another shape leaves `derived` nil and the full decode decides.
                var event: [String: FieldValue] = [:]
                var readable = true
                for (index, path) in factPaths.enumerated() where readable {
                    let type: String? = row[3 + 2 * index]
                    switch type {
                    case nil: break
                    case "text": event[path] = .string(row[4 + 2 * index])
                    case "true": event[path] = .bool(true)
                    case "false": event[path] = .bool(false)
                    default: readable = false
                    }
                }
                if readable { derived = BypassChangeFact(event: AuditEvent(fields: event)) }
            }
            result.append(
                FactAndDerivation(
                    eventID: changeRow.eventID, fact: fact, hasDocument: document != nil,
                    document: derived == nil ? document : nil, derived: derived))
        }
        return result
    }

    /// For each document field path, the pair of columns `json_type`, `json_extract` (NULL when the document is not
    /// valid JSON), with the arguments that bind the paths.
    private static func documentFieldColumns(_ paths: [String]) -> (sql: String, arguments: StatementArguments) {
        var columns: [String] = []
        var arguments: StatementArguments = []
        for path in paths {
            columns.append(
                "CASE WHEN json_valid(e.document) THEN json_type(e.document, ?) END, "
                    + "CASE WHEN json_valid(e.document) THEN json_extract(e.document, ?) END")
            _ = arguments.append(contentsOf: ["$.\"\(path)\"", "$.\"\(path)\""])
        }
        return (columns.joined(separator: ", "), arguments)
    }

    private static func differingFields(_ lhs: BypassChangeFact, _ rhs: BypassChangeFact) -> [String] {
        var fields: [String] = []
        if lhs.eventID != rhs.eventID { fields.append("event_id") }
        if lhs.tenant != rhs.tenant { fields.append("tenant") }
        if lhs.time != rhs.time { fields.append("time") }
        if lhs.identity != rhs.identity { fields.append("identity") }
        if lhs.objectID != rhs.objectID { fields.append("object_id") }
        if lhs.actor != rhs.actor { fields.append("actor") }
        if lhs.clientIP != rhs.clientIP { fields.append("client_ip") }
        if lhs.direction != rhs.direction { fields.append("direction") }
        if lhs.outcome != rhs.outcome { fields.append("outcome") }
        if lhs.originalStatus != rhs.originalStatus { fields.append("original_status") }
        if lhs.succeeded != rhs.succeeded { fields.append("succeeded") }
        if lhs.documentReadable != rhs.documentReadable { fields.append("document_readable") }
        return fields
    }

    /// The column values `EventStore.insert` derives from a document.
    private static func derivedColumns(_ row: Row) -> [String: String] {
        var values: [String?] = []
        var needsDecode = false
        let firstPathColumn = 11  // the pairs follow seq … document
        for index in derivedPaths.indices {
            switch keyword(
                row, type: firstPathColumn + 2 * index, value: firstPathColumn + 2 * index + 1)
            {
            case .value(let text): values.append(text)
            case .list:
                needsDecode = true
                values.append(nil)
            }
        }
        if needsDecode, let document = row["document"] as String?, let event = try? AuditEvent(canonicalJSON: document) {
            values = [
                event.string(ECSField.organizationID), event.string(ECSField.timestamp),
                event.string(ECSField.ingested), event.action, event.string(ECSField.outcome), event.actor,
            ]
        }
        return [
            "tenant": TenantID(values[0] ?? "").rawValue,
            "timestamp": values[1].flatMap(UTCTimestamp.parse).map(UTCTimestamp.format) ?? "",
            "ingested_at": values[2] ?? "",
            "action": values[3] ?? "",
            "outcome": EventOutcome(ecsValue: values[4]).rawValue,
            "actor": values[5] ?? "",
        ]
    }

    /// A document field read through `json_type`/`json_extract` columns.
    enum Keyword {
        /// The field's keyword as `AuditEvent.string` gives it (nil when absent or empty).
        case value(String?)
        /// A list or object: only a full decode reads it as AuditEvent does.
        case list
    }

    /// The keyword of the field whose JSON type and value sit in columns `type` and `value` of `row` (by position).
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
