import Foundation
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
    /// Where row `t` is read from when the content spans two tables (`bypassEvent`); nil: `table` alone.
    var fromSQL: String? = nil
    /// More tables joined to ledger entry `l` after `t` (they must be there for the row to count as present).
    var extraJoins: [(table: String, alias: String, on: String)] = []
    /// `contentSQL` with the document digest taken from the entry itself (`l.content`): the check `drift` and
    /// `report` make of the rows they read, which never include documents (nil: the same as `contentSQL`).
    var contentSQLWithoutDocument: String? = nil
    /// True when the tool never re-chains a row (one entry per `ref`), so the newest entry need not be looked up.
    var chainedOnce = false
    /// What each element of the content array is (`table.column`), so a problem can say which changed.
    public var contentLabels: [String] = []

    private var source: String { fromSQL ?? "\(table) t" }

    /// Stored events other than bypass changes (audit impairments, other rule matches): the audit-impairment findings
    /// rest on them. Indexed columns are chained beside the document, so editing either is found.
    public static let storedEvent = ChainedTable(
        kind: .storedEvent, table: "event", keyColumns: ["event_id"], refSQL: "t.event_id",
        joinSQL: "t.event_id = l.ref",
        contentSQL: "json_array(t.tenant, t.timestamp, t.ingested_at, t.action, t.outcome, t.actor, t.document)",
        alsoChainedAs: [.bypassChange, .bypassEvent],
        contentLabels: ["tenant", "timestamp", "ingested_at", "action", "outcome", "actor", "document"].map { "event.\($0)" })

    /// A bypass change as ingest stored it: its event's indexed columns, the SHA-256 of its document and the fact
    /// derived from it (`bypass_change`), in one entry written in the transaction that stores both. Holding the
    /// document's digest instead of the document keeps the chain small, and chaining the fact means `verify` never
    /// derives it again: the row is compared with its entry in SQL. Databases from before keep their
    /// `bypass-change` entries (the whole document), checked as before.
    public static let bypassEvent = ChainedTable(
        kind: .bypassEvent, table: "event", keyColumns: ["event_id"], refSQL: "t.event_id",
        joinSQL: "t.event_id = l.ref",
        contentSQL: bypassEventContent(documentDigest: "sha256_hex(CAST(t.document AS BLOB))"),
        alsoChainedAs: [.bypassChange],
        fromSQL: "event t JOIN bypass_change c ON c.event_id = t.event_id",
        extraJoins: [("bypass_change", "c", "c.event_id = l.ref")],
        contentSQLWithoutDocument: bypassEventContent(documentDigest: "json_extract(l.content, '$[6]')"),
        chainedOnce: true,
        contentLabels: ["tenant", "timestamp", "ingested_at", "action", "outcome", "actor", "document"].map { "event.\($0)" }
            + [
                "tenant", "time", "identity", "object_id", "actor", "client_ip", "direction", "outcome", "original_status",
                "succeeded", "document_readable",
            ].map { "bypass_change.\($0)" })

    private static func bypassEventContent(documentDigest: String) -> String {
        """
        json_array(t.tenant, t.timestamp, t.ingested_at, t.action, t.outcome, t.actor, \(documentDigest), \
        c.tenant, c.time, c.identity, c.object_id, c.actor, c.client_ip, c.direction, c.outcome, c.original_status, \
        c.succeeded, c.document_readable)
        """
    }

    /// Alerts: the alert controls and the audit-impairment findings count them.
    public static let alert = ChainedTable(
        kind: .alert, table: "alert", keyColumns: ["id"], refSQL: "CAST(t.id AS TEXT)",
        joinSQL: "t.id = CAST(l.ref AS INTEGER)",
        contentSQL: """
            json_array(t.rule_id, t.rule_name, t.severity, t.risk_score, t.signal, t.tenant, t.event_id, t.event_time, \
            t.actor, t.target, t.object_id, t.outcome, t.direction, t.raised_at, t.run_id)
            """,
        contentLabels: [
            "rule_id", "rule_name", "severity", "risk_score", "signal", "tenant", "event_id", "event_time", "actor", "target",
            "object_id", "outcome", "direction", "raised_at", "run_id",
        ].map { "alert.\($0)" })

    /// Alert triage (`alerts ack`): an acknowledged alert reads as handled in the alert-triage control.
    public static let alertTriage = ChainedTable(
        kind: .alertTriage, table: "alert_triage", keyColumns: ["id"], refSQL: "CAST(t.id AS TEXT)",
        joinSQL: "t.id = CAST(l.ref AS INTEGER)",
        contentSQL: "json_array(t.alert_id, t.triaged_by, t.note, t.triaged_at)",
        contentLabels: ["alert_id", "triaged_by", "note", "triaged_at"].map { "alert_triage.\($0)" })

    /// Per-day record counts: padding them hides a day without logs (the coverage-gap finding).
    public static let coverage = ChainedTable(
        kind: .coverage, table: "coverage", keyColumns: ["input_file_id", "day"],
        refSQL: "json_array(t.input_file_id, t.day)",
        joinSQL: "t.input_file_id = json_extract(l.ref, '$[0]') AND t.day = json_extract(l.ref, '$[1]')",
        contentSQL: "json_array(t.input_file_id, t.day, t.records)",
        contentLabels: ["input_file_id", "day", "records"].map { "coverage.\($0)" })

    /// Windows the Management Activity API could no longer serve: each is a coverage-gap finding.
    public static let collectionGap = ChainedTable(
        kind: .collectionGap, table: "activity_feed_gap", keyColumns: ["source", "gap_start"],
        refSQL: "json_array(t.source, t.gap_start)",
        joinSQL: "t.source = json_extract(l.ref, '$[0]') AND t.gap_start = json_extract(l.ref, '$[1]')",
        contentSQL: "json_array(t.source, t.gap_start, t.gap_end, t.noted_at)",
        contentLabels: ["source", "gap_start", "gap_end", "noted_at"].map { "activity_feed_gap.\($0)" })

    /// Each run that found the register changed: the order register versions were seen in, which dates every
    /// register change.
    public static let allowlistObservation = ChainedTable(
        kind: .allowlistObservation, table: "allowlist_observation", keyColumns: ["id"], refSQL: "CAST(t.id AS TEXT)",
        joinSQL: "t.id = CAST(l.ref AS INTEGER)",
        contentSQL: "json_array(t.version_id, t.path, t.seen_at, t.valid)", chainedOnce: true,
        contentLabels: ["version_id", "path", "seen_at", "valid"].map { "allowlist_observation.\($0)" })

    /// Entry-level register changes: deleting one would hide a direct edit from the register-change control.
    public static let allowlistChange = ChainedTable(
        kind: .allowlistChange, table: "allowlist_change", keyColumns: ["id"], refSQL: "CAST(t.id AS TEXT)",
        joinSQL: "t.id = CAST(l.ref AS INTEGER)",
        contentSQL: "json_array(t.observation_id, t.seen_at, t.kind, t.entry_id, t.from_sha256, t.to_sha256, t.fields)",
        chainedOnce: true,
        contentLabels: ["observation_id", "seen_at", "kind", "entry_id", "from_sha256", "to_sha256", "fields"].map {
            "allowlist_change.\($0)"
        })

    /// Every table chained by content, in the order `verify` checks them.
    public static let all: [ChainedTable] = [
        bypassEvent, storedEvent, alert, alertTriage, coverage, collectionGap, allowlistObservation, allowlistChange,
    ]

    /// The tables migration `v5-chained-register` chained at upgrade (frozen with it), in the order it chains them.
    static let chainedAtV5Upgrade: [ChainedTable] = [allowlistObservation, allowlistChange]

    /// The tables migration `v4-chained-evidence` chained at upgrade. Frozen with the migration: tables chained
    /// later are chained as their rows are written.
    static let chainedAtV4Upgrade: [ChainedTable] = [storedEvent, alert, alertTriage, coverage, collectionGap]

    /// Appends the chain entry for the row with `key` as it is now (inside the caller's transaction, after the
    /// write): its content, or `null` when the write removed it.
    public func record(_ db: Database, key: [any DatabaseValueConvertible], at time: Date = Date()) throws {
        let condition = keyColumns.map { "t.\($0) = ?" }.joined(separator: " AND ")
        let arguments = StatementArguments(key.map { $0.databaseValue })
        // Cached: ingest and detect chain a row per stored event and alert (200,000 in a month at scale).
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(refSQL) AS ref, \(contentSQL) AS content FROM \(source) WHERE \(condition)"),
            arguments: arguments)
        if let row {
            try Ledger.append(db, kind: kind, ref: row["ref"], content: row["content"], at: time)
        } else {
            // The same `refSQL`, over the key values alone, so a removal names the row as its entries always did.
            let values = keyColumns.map { "? AS \($0)" }.joined(separator: ", ")
            let ref = try String.fetchOne(db, sql: "SELECT \(refSQL) FROM (SELECT \(values)) t", arguments: arguments)
            try Ledger.append(db, kind: kind, ref: ref ?? "", content: Self.removed, at: time)
        }
    }

    /// Appends the entry of every row `filter` selects (a SQL condition over `t`), in row order.
    public func recordAll(_ db: Database, where filter: String = "1", arguments: StatementArguments = []) throws {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT \(refSQL) AS ref, \(contentSQL) AS content FROM \(source) WHERE \(filter) ORDER BY t.rowid",
            arguments: arguments)
        for row in rows { try Ledger.append(db, kind: kind, ref: row["ref"], content: row["content"]) }
    }

    /// Appends removal entries for every row `filter` selects, before the caller deletes them.
    public func recordRemovalOfAll(_ db: Database, where filter: String, arguments: StatementArguments) throws {
        let refs = try String.fetchAll(
            db, sql: "SELECT \(refSQL) FROM \(source) WHERE \(filter) ORDER BY t.rowid", arguments: arguments)
        for ref in refs { try Ledger.append(db, kind: kind, ref: ref, content: Self.removed) }
    }

    /// The labels (`contentLabels`) of the elements where two renderings of a row's content differ (every label when
    /// either is not a JSON array of the expected length).
    public func differingColumns(chained: String, current: String) -> [String] {
        func elements(_ text: String) -> [Any]? {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) as? [Any]
        }
        guard let old = elements(chained), let new = elements(current), old.count == contentLabels.count,
            new.count == contentLabels.count
        else { return contentLabels }
        // Each element re-rendered alone: scalars (text, numbers, null) compare by their JSON text.
        func rendered(_ value: Any) -> Data? { try? JSONSerialization.data(withJSONObject: [value]) }
        return contentLabels.indices.filter { rendered(old[$0]) != rendered(new[$0]) }.map { contentLabels[$0] }
    }

    /// The content of an entry that records the row's removal by the tool.
    public static let removed = "null"

    /// Rows whose newest entry no longer matches them: `(seq, ref, chained, current)`, `current` nil when the row is
    /// gone. With `includingDocuments` false, a document's digest is taken from the entry (see
    /// `contentSQLWithoutDocument`): every other column is still held to the chain.
    package func mismatches(_ db: Database, includingDocuments: Bool = true) throws
        -> [(seq: Int64, ref: String, chained: String, current: String?)]
    {
        let content = includingDocuments ? contentSQL : (contentSQLWithoutDocument ?? contentSQL)
        let joins = ["LEFT JOIN \(table) t ON \(joinSQL)"]
            + extraJoins.map { "LEFT JOIN \($0.table) \($0.alias) ON \($0.on)" }
        let present = (["t"] + extraJoins.map(\.alias)).map { "\($0).rowid IS NOT NULL" }.joined(separator: " AND ")
        let newest = chainedOnce ? "" : "AND l.seq = (SELECT MAX(m.seq) FROM ledger m WHERE m.kind = l.kind AND m.ref = l.ref)"
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT * FROM (
                    SELECT l.seq, l.ref, l.content AS chained,
                           CASE WHEN \(present) THEN \(content) END AS current
                    FROM ledger l \(joins.joined(separator: " "))
                    WHERE l.kind = ? \(newest)
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
                SELECT \(refSQL) FROM \(source)
                WHERE NOT EXISTS (SELECT 1 FROM ledger m WHERE m.kind IN (\(kinds)) AND m.ref = \(refSQL))
                ORDER BY t.rowid
                """)
    }
}
