import GRDB

/// Tables whose rows findings and controls rest on, chained by content as SQLite renders it, so `verify` compares
/// every row with its newest chain entry in SQL without decoding anything.
///
/// A row's entry records `json_array(<its columns>)`; a row the tool changes later (a coverage count that grows, a
/// collection gap that widens) gets a new entry, and a row the tool removes gets an entry whose content is `null`.
/// `verify` then holds each table to the newest entry per row: a row edited, deleted, re-added or inserted outside
/// the tool no longer matches. The SQL below is part of the chain format: changing it would make every database
/// written before fail `verify`, so a change needs a new `Ledger.Kind`.
public struct ChainedTable: Sendable {
    /// The chain entry kind of this table's rows.
    public var kind: Ledger.Kind
    public var table: String
    /// The row's key columns, in the order `record(_:key:)` takes their values.
    var keyColumns: [String]
    /// The entry's `ref` for row `t` (a SQL expression over alias `t`).
    var refSQL: String
    /// Joins row `t` to ledger entry `l` by key, through the table's primary key or unique index.
    var joinSQL: String
    /// The chained content of row `t` (a SQL expression over alias `t`).
    var contentSQL: String
    /// Rows the table holds that another kind chains (bypass events are chained as `bypass-change`).
    var alsoChainedAs: [Ledger.Kind] = []

    /// Stored events other than bypass changes (audit impairments, other rule matches): the audit-impairment findings
    /// rest on them. Indexed columns are chained beside the document, so editing either is found.
    public static let storedEvent = ChainedTable(
        kind: .storedEvent, table: "event", keyColumns: ["event_id"], refSQL: "t.event_id",
        joinSQL: "t.event_id = l.ref",
        contentSQL: "json_array(t.tenant, t.timestamp, t.ingested_at, t.action, t.outcome, t.actor, t.document)",
        alsoChainedAs: [.bypassChange])

    /// Alerts: the alert controls and the audit-impairment findings count them.
    public static let alert = ChainedTable(
        kind: .alert, table: "alert", keyColumns: ["id"], refSQL: "CAST(t.id AS TEXT)",
        joinSQL: "t.id = CAST(l.ref AS INTEGER)",
        contentSQL: """
            json_array(t.rule_id, t.rule_name, t.severity, t.risk_score, t.signal, t.tenant, t.event_id, t.event_time, \
            t.actor, t.target, t.object_id, t.outcome, t.direction, t.raised_at, t.run_id)
            """)

    /// Alert triage (`alerts ack`): an acknowledged alert reads as handled in the alert-triage control.
    public static let alertTriage = ChainedTable(
        kind: .alertTriage, table: "alert_triage", keyColumns: ["id"], refSQL: "CAST(t.id AS TEXT)",
        joinSQL: "t.id = CAST(l.ref AS INTEGER)",
        contentSQL: "json_array(t.alert_id, t.triaged_by, t.note, t.triaged_at)")

    /// Per-day record counts: padding them hides a day without logs (the coverage-gap finding).
    public static let coverage = ChainedTable(
        kind: .coverage, table: "coverage", keyColumns: ["input_file_id", "day"],
        refSQL: "json_array(t.input_file_id, t.day)",
        joinSQL: "t.input_file_id = json_extract(l.ref, '$[0]') AND t.day = json_extract(l.ref, '$[1]')",
        contentSQL: "json_array(t.input_file_id, t.day, t.records)")

    /// Windows the Management Activity API could no longer serve: each is a coverage-gap finding.
    public static let collectionGap = ChainedTable(
        kind: .collectionGap, table: "activity_feed_gap", keyColumns: ["source", "gap_start"],
        refSQL: "json_array(t.source, t.gap_start)",
        joinSQL: "t.source = json_extract(l.ref, '$[0]') AND t.gap_start = json_extract(l.ref, '$[1]')",
        contentSQL: "json_array(t.source, t.gap_start, t.gap_end, t.noted_at)")

    /// Every table chained by content, in the order `verify` checks them.
    public static let all: [ChainedTable] = [storedEvent, alert, alertTriage, coverage, collectionGap]

    /// Appends the chain entry for the row with `key` as it is now (inside the caller's transaction, after the
    /// write): its content, or `null` when the write removed it.
    public func record(_ db: Database, key: [any DatabaseValueConvertible]) throws {
        let condition = keyColumns.map { "t.\($0) = ?" }.joined(separator: " AND ")
        let arguments = StatementArguments(key.map { $0.databaseValue })
        let row = try Row.fetchOne(
            db, sql: "SELECT \(refSQL) AS ref, \(contentSQL) AS content FROM \(table) t WHERE \(condition)",
            arguments: arguments)
        if let row {
            try Ledger.append(db, kind: kind, ref: row["ref"], content: row["content"])
        } else {
            // The same `refSQL`, over the key values alone, so a removal names the row as its entries always did.
            let values = keyColumns.map { "? AS \($0)" }.joined(separator: ", ")
            let ref = try String.fetchOne(db, sql: "SELECT \(refSQL) FROM (SELECT \(values)) t", arguments: arguments)
            try Ledger.append(db, kind: kind, ref: ref ?? "", content: Self.removed)
        }
    }

    /// Appends the entry of every row `filter` selects (a SQL condition over `t`), in row order.
    public func recordAll(_ db: Database, where filter: String = "1", arguments: StatementArguments = []) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(refSQL) AS ref, \(contentSQL) AS content FROM \(table) t WHERE \(filter) ORDER BY t.rowid",
            arguments: arguments)
        for row in rows { try Ledger.append(db, kind: kind, ref: row["ref"], content: row["content"]) }
    }

    /// Appends removal entries for every row `filter` selects, before the caller deletes them.
    public func recordRemovalOfAll(_ db: Database, where filter: String, arguments: StatementArguments) throws {
        let refs = try String.fetchAll(
            db, sql: "SELECT \(refSQL) FROM \(table) t WHERE \(filter) ORDER BY t.rowid", arguments: arguments)
        for ref in refs { try Ledger.append(db, kind: kind, ref: ref, content: Self.removed) }
    }

    /// The content of an entry that records the row's removal by the tool.
    public static let removed = "null"

    /// Rows whose newest entry no longer matches them: `(seq, ref, chained, current)`, `current` nil when the row is
    /// gone.
    package func mismatches(_ db: Database) throws -> [(seq: Int64, ref: String, chained: String, current: String?)] {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT * FROM (
                    SELECT l.seq, l.ref, l.content AS chained,
                           CASE WHEN t.rowid IS NULL THEN NULL ELSE \(contentSQL) END AS current
                    FROM ledger l LEFT JOIN \(table) t ON \(joinSQL)
                    WHERE l.kind = ?
                      AND l.seq = (SELECT MAX(m.seq) FROM ledger m WHERE m.kind = l.kind AND m.ref = l.ref)
                )
                WHERE current IS NOT chained AND NOT (current IS NULL AND chained = ?)
                ORDER BY seq
                """,
            arguments: [kind.rawValue, Self.removed])
        var result: [(seq: Int64, ref: String, chained: String, current: String?)] = []
        while let row = try cursor.next() {
            result.append((row["seq"], row["ref"], row["chained"], row["current"]))
        }
        return result
    }

    /// Keys of rows no entry chains: inserted outside the tool.
    package func unchained(_ db: Database) throws -> [String] {
        let kinds = ([kind] + alsoChainedAs).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try String.fetchAll(
            db,
            sql: """
                SELECT \(refSQL) FROM \(table) t
                WHERE NOT EXISTS (SELECT 1 FROM ledger m WHERE m.kind IN (\(kinds)) AND m.ref = \(refSQL))
                ORDER BY t.rowid
                """)
    }
}
