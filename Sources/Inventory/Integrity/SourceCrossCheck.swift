import Core
import Policy
import Store
import Foundation
import GRDB

/// Compares chain entries with the rows they stand for, one table per entry kind, and finds rows that should be
/// chained but are not.
enum SourceCrossCheck {
    // MARK: - Rows chained by content (other events, alerts, triage, coverage, collection gaps)

    /// Holds each row of `table` to its newest chain entry, and finds rows no entry chains.
    static func chainedRows(_ db: Database, _ table: ChainedTable, includingDocuments: Bool) throws
        -> [IntegrityProblem]
    {
        let kind = table.kind.rawValue
        var problems = try table.mismatches(db, includingDocuments: includingDocuments).map { mismatch in
            if mismatch.chained != ChainedTable.removed, let current = mismatch.current {
                return edited(table, seq: mismatch.seq, ref: mismatch.ref, chained: mismatch.chained, current: current)
            }
            let (problem, detail): (IntegrityProblem.Kind, String) =
                mismatch.chained == ChainedTable.removed
                ? (.rowInserted, "the tool removed this row, yet it is there again: it was re-added outside the tool")
                : (.rowDeleted, "the chained row was deleted")
            return IntegrityProblem(
                kind: problem, seq: mismatch.seq, entryKind: kind, ref: mismatch.ref, table: table.table, detail: detail)
        }
        for ref in try table.unchained(db) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: ref, table: table.table,
                    detail: "a row that is not in the chain: it was inserted outside the tool"))
        }
        return problems
    }

    /// A chained row that no longer renders as its entry: which columns changed, in the table that holds them.
    private static func edited(_ table: ChainedTable, seq: Int64, ref: String, chained: String, current: String)
        -> IntegrityProblem
    {
        let columns = table.differingColumns(chained: chained, current: current)
        let tables = Set(columns.compactMap { $0.split(separator: ".").first.map(String.init) })
        let names = columns.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
        let which = names.isEmpty ? "" : " (\(names.joined(separator: ", ")))"
        return IntegrityProblem(
            kind: .rowEdited, seq: seq, entryKind: table.kind.rawValue, ref: ref,
            table: tables.count == 1 ? tables.first : table.table,
            detail: "the row differs from its newest chain entry\(which): it was edited")
    }

    // MARK: - Bypass changes chained with their whole document (`bypass-change`, databases from before `bypass-event`)

    /// The document fields the `event` table's indexed columns are derived from (as `EventStore.insert` does).
    private static let derivedPaths = [
        ECSField.organizationID, ECSField.timestamp, ECSField.ingested, ECSField.action, ECSField.outcome,
        ECSField.userID,
    ]

    /// With `includingDocuments` false, a bypass event whose `action` column was rewritten is found by its chain
    /// entry alone (the document scan that also finds one inserted with another `action` is left to `verify`).
    static func bypassChanges(_ db: Database, includingDocuments: Bool) throws -> [IntegrityProblem] {
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
    static func bypassChangeFacts(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        let table = "bypass_change"
        for stored in try factsWithDerivations(db) {
            // Events deleted since are reported by the chain check (their entries lose their row).
            guard stored.hasDocument else { continue }
            let fact: BypassChangeFact
            switch stored.fact {
            case .success(let value): fact = value
            case .failure(let error):
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: nil, entryKind: nil, ref: stored.eventID, table: table,
                        detail: "\(error): it was edited"))
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
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.document,
                       CASE WHEN json_valid(e.document) THEN json_type(e.document) END AS document_type,
                       instr(e.document, '\\u0000') > 0 AS has_nul,
                       \(fields.sql), c.*
                FROM bypass_change c LEFT JOIN event e ON e.event_id = c.event_id
                WHERE NOT EXISTS (SELECT 1 FROM ledger m WHERE m.kind = ? AND m.ref = c.event_id)
                ORDER BY c.rowid
                """, arguments: fields.arguments + [Ledger.Kind.bypassEvent.rawValue], adapter: ScopeAdapter(["change": SuffixRowAdapter(fromIndex: firstChangeColumn)]))
        var result: [FactAndDerivation] = []
        while let row = try cursor.next() {
            let changeRow = try BypassChangeRow(row: row.scopes["change"] ?? row)
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

    // MARK: - Snapshot rows (`snapshot`, `snapshot_row`)

    /// `corrections` are the chained `snapshot-correction` entries: a snapshot removed by one after its entries
    /// were written is expected to be gone, and one re-dated is expected to carry the latest new time. They are
    /// read from the chain, not from `snapshot_correction`, so a correction row inserted by hand excuses nothing.
    static func snapshotRows(_ db: Database, entries: [LedgerEntry], corrections: [LedgerEntry]) throws
        -> [IntegrityProblem]
    {
        var problems: [IntegrityProblem] = []
        let kind = Ledger.Kind.snapshotRow.rawValue
        var removedAt: [Int64: Int64] = [:]
        var redates: [Int64: [(seq: Int64, takenAt: Date)]] = [:]
        for entry in corrections {
            guard let correction = try? JSONCoding.decoder().decode(
                SnapshotCorrection.self, from: Data((entry.content ?? "").utf8))
            else { continue }  // an unreadable correction is reported by `snapshotCorrections`
            switch correction.action {
            case .remove: removedAt[correction.snapshotID] = entry.seq
            case .redate:
                if let after = correction.takenAtAfter { redates[correction.snapshotID, default: []].append((entry.seq, after)) }
            }
        }
        /// The removal that explains why the snapshot of an entry written at `seq` is gone.
        func removal(of snapshotID: Int64, after seq: Int64) -> Int64? {
            removedAt[snapshotID].flatMap { $0 > seq ? $0 : nil }
        }
        var headers: [Int64: SnapshotSummary] = [:]
        for summary in try SnapshotStore.summaries(db, where: "1 = 1", arguments: []) { headers[summary.id] = summary }
        var rows: [String: SnapshotRow] = [:]
        var rowOrder: [String] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM snapshot_row ORDER BY snapshot_id, row")
        while let stored = try cursor.next() {
            let ref = SnapshotStore.ledgerRef(snapshotID: stored["snapshot_id"], row: stored["row"])
            rows[ref] = SnapshotStore.snapshotRow(from: stored)
            rowOrder.append(ref)
        }
        var chained = Set<String>()
        for entry in entries {
            chained.insert(entry.ref)
            let parts = entry.ref.split(separator: ":")
            guard parts.count == 2, let snapshotID = Int64(parts[0]), let rowNumber = Int(parts[1]) else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: "snapshot_row",
                        detail: "the entry's ref is not <snapshot>:<row>"))
                continue
            }
            let rebuilt: String?
            let table = rowNumber == 0 ? "snapshot" : "snapshot_row"
            let exists = rowNumber == 0 ? headers[snapshotID] != nil : rows[entry.ref] != nil
            if let removal = removal(of: snapshotID, after: entry.seq) {
                if exists {
                    problems.append(
                        IntegrityProblem(
                            kind: .rowInserted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: table,
                            detail: "snapshot \(snapshotID) was removed (ledger entry \(removal)) but this row is stored "
                                + "again: it was put back outside the tool"))
                }
                continue
            }
            var chainedContent = entry.content ?? ""
            if rowNumber == 0, let redate = redates[snapshotID]?.last(where: { $0.seq > entry.seq }),
                var header = try? JSONCoding.decoder().decode(
                    SnapshotStore.HeaderLedgerContent.self, from: Data(chainedContent.utf8))
            {
                // Re-dated by a chained correction: the stored row must carry the latest new time, marked as given.
                header.takenAt = redate.takenAt
                header.takenAtGiven = true
                chainedContent = try header.canonicalJSON()
            }
            if rowNumber == 0 {
                rebuilt = try headers[snapshotID].map { try SnapshotStore.HeaderLedgerContent($0).canonicalJSON() }
            } else {
                rebuilt = try rows[entry.ref].map {
                    try SnapshotStore.RowLedgerContent(snapshotId: snapshotID, row: $0).canonicalJSON()
                }
            }
            guard let rebuilt else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: table,
                        detail: rowNumber == 0 ? "the chained snapshot was deleted" : "the chained snapshot row was deleted"))
                continue
            }
            if rebuilt != chainedContent {
                let fields = differingFields(rebuilt, chainedContent)
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: entry.seq, entryKind: kind, ref: entry.ref, table: table,
                        detail: "differs from the chained content"
                            + (fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))") + ": it was edited"))
            }
        }
        for id in headers.keys.sorted() where !chained.contains(SnapshotStore.ledgerRef(snapshotID: id, row: 0)) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: SnapshotStore.ledgerRef(snapshotID: id, row: 0),
                    table: "snapshot", detail: "a snapshot that is not in the chain: it was inserted outside the tool"))
        }
        for ref in rowOrder where !chained.contains(ref) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: ref, table: "snapshot_row",
                    detail: "a snapshot row that is not in the chain: it was inserted outside the tool"))
        }
        return problems
    }

    /// Every chained correction against `snapshot_correction`: a deleted or edited log row is tampering (it would
    /// leave a removed or re-dated snapshot unexplained), and a row not in the chain was inserted by hand.
    static func snapshotCorrections(_ db: Database, entries: [LedgerEntry]) throws -> [IntegrityProblem] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM snapshot_correction ORDER BY id").map { row in
            (ref: String(row["id"] as Int64), stored: (try? SnapshotCorrection.from(row)?.canonicalJSON()) ?? "(unreadable)")
        }
        return keyedRows(
            rows, entries: entries, kind: .snapshotCorrection, table: "snapshot_correction",
            deleted: "the chained snapshot correction (who removed or re-dated a snapshot, and why) was deleted",
            inserted: "a snapshot correction that is not in the chain: it was inserted outside the tool"
        ) { content, entry in
            guard content != entry.content else { return nil }
            let fields = differingFields(content, entry.content ?? "")
            return "differs from the chained correction"
                + (fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))") + ": it was edited"
        }
    }

    /// Holds rows compared in memory (each with its `ref`, in table order) to their chain entries: an entry whose row
    /// is gone is a deletion, a row `edited` describes (nil: it matches) an edit, and a row no entry names was
    /// inserted outside the tool.
    private static func keyedRows<Stored>(
        _ rows: [(ref: String, stored: Stored)], entries: [LedgerEntry], kind: Ledger.Kind, table: String,
        deleted: String, inserted: String, edited: (Stored, LedgerEntry) -> String?
    ) -> [IntegrityProblem] {
        var stored: [String: Stored] = [:]
        for row in rows { stored[row.ref] = row.stored }
        var problems: [IntegrityProblem] = []
        var chained = Set<String>()
        for entry in entries {
            chained.insert(entry.ref)
            guard let row = stored[entry.ref] else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind.rawValue, ref: entry.ref, table: table,
                        detail: deleted))
                continue
            }
            if let detail = edited(row, entry) {
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: entry.seq, entryKind: kind.rawValue, ref: entry.ref, table: table,
                        detail: detail))
            }
        }
        for row in rows where !chained.contains(row.ref) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind.rawValue, ref: row.ref, table: table, detail: inserted))
        }
        return problems
    }

    // MARK: - Register versions and edits (tables of the Policy stage)

    static func allowlistVersions(_ db: Database, entries: [LedgerEntry]) throws -> [IntegrityProblem] {
        let kind = Ledger.Kind.allowlistVersion.rawValue
        // Versions may be stored as deltas (rebuilt one after the other, in id order, so each from the one before);
        // chained by digest, a version holds when its rebuilt text still hashes to its ref.
        var stored: [String: Int64] = [:]
        var order: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, sha256 FROM allowlist_version ORDER BY id") {
            let sha: String = row["sha256"]
            stored[sha] = row["id"]
            order.append(sha)
        }
        let reader = AllowlistVersionStore.Reader(db)
        var problems: [IntegrityProblem] = []
        var chained = Set<String>()
        for entry in entries.sorted(by: { (stored[$0.ref] ?? .max, $0.seq) < (stored[$1.ref] ?? .max, $1.seq) }) {
            chained.insert(entry.ref)
            guard let id = stored[entry.ref], let content = try reader.text(id: id) else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: "allowlist_version",
                        detail: "the chained register version was deleted"))
                continue
            }
            let digest = SHA256Digest.hex(of: content)
            let byDigest = AllowlistVersionStore.chainedContent(sha256: digest, byteCount: content.utf8.count)
            if content != entry.content, !(entry.content == byDigest && digest == entry.ref) {
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: entry.seq, entryKind: kind, ref: entry.ref, table: "allowlist_version",
                        detail: "the stored register text differs from the chained one: it was edited"))
            }
        }
        for sha in order where !chained.contains(sha) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: sha, table: "allowlist_version",
                    detail: "a register version that is not in the chain: it was inserted outside the tool"))
        }
        return problems
    }

    static func allowlistEdits(_ db: Database, entries: [LedgerEntry]) throws -> [IntegrityProblem] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, at, by, action, entry_id, reason, summary FROM allowlist_edit ORDER BY id"
        ).map { row in (ref: String(row["id"] as Int64), stored: allowlistEdit(from: row)) }
        return keyedRows(
            rows, entries: entries, kind: .allowlistEdit, table: "allowlist_edit",
            deleted: "the chained register edit was deleted",
            inserted: "a register edit that is not in the chain: it was inserted outside the tool"
        ) { edit, entry in
            matches(edit, content: entry.content ?? "") ? nil : "the stored edit differs from the chained one: it was edited"
        }
    }

    /// The edit a row holds; nil when a column cannot be read (an unknown action, an unreadable time).
    private static func allowlistEdit(from row: Row) -> AllowlistEdit? {
        let raw: DatabaseValue = row["at"]
        let at: Date?
        switch raw.storage {
        case .string(let text): at = UTCTimestamp.parse(text)
        case .double(let seconds): at = Date(timeIntervalSince1970: seconds)
        case .int64(let seconds): at = Date(timeIntervalSince1970: Double(seconds))
        case .null, .blob: at = nil
        }
        guard let at, let action = AllowlistEdit.Action(rawValue: row["action"] ?? "") else { return nil }
        return AllowlistEdit(
            at: at, by: row["by"] ?? "", action: action, entryID: row["entry_id"] ?? "", reason: row["reason"],
            summary: row["summary"] ?? "")
    }

    /// The edit's canonical text is the chained content; a time column stored in another text form still matches
    /// when it names the same millisecond.
    private static func matches(_ edit: AllowlistEdit?, content: String) -> Bool {
        guard let edit else { return false }
        if (try? JSONCoding.string(edit, pretty: false)) == content { return true }
        guard let chained = try? JSONCoding.decoder().decode(AllowlistEdit.self, from: Data(content.utf8)) else {
            return false
        }
        return UTCTimestamp.format(chained.at) == UTCTimestamp.format(edit.at) && chained.by == edit.by
            && chained.action == edit.action && chained.entryID == edit.entryID && chained.reason == edit.reason
            && chained.summary == edit.summary
    }

    /// Top-level (and one level nested) keys whose values differ between two JSON objects.
    static func differingFields(_ lhs: String, _ rhs: String) -> [String] {
        func object(_ text: String) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
        func flatten(_ object: [String: Any], prefix: String = "") -> [String: String] {
            var result: [String: String] = [:]
            for (key, value) in object {
                if let nested = value as? [String: Any] {
                    result.merge(flatten(nested, prefix: prefix + key + ".")) { first, _ in first }
                } else {
                    result[prefix + key] = "\(value)"
                }
            }
            return result
        }
        let left = flatten(object(lhs))
        let right = flatten(object(rhs))
        return Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
    }
}
