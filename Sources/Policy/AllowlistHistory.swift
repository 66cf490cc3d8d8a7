import Core
import Store
import Foundation
import GRDB

/// The register's history in the database: versions of the file as runs saw them, what changed between them
/// (so direct edits in git show up as added / changed / removed entries), and the tool's edit log.
///
/// Every new version and every edit is chained in the `Ledger` in the same transaction as its row. Versions are
/// stored compactly (`AllowlistVersionStore`): an edit of a large register adds the changed region, not a copy.
public enum AllowlistHistory {
    /// Stores the register's current version when it differs from the last one seen, and returns the entries added,
    /// changed or removed since the last valid version (none on the first run, or when nothing changed, or when the
    /// current version is invalid: its changes are reported once it is valid again).
    ///
    /// Call inside a write transaction (`AuditDatabase.write`).
    @discardableResult
    public static func record(_ db: Database, _ result: AllowlistLoadResult, path: String, at: Date) throws
        -> [AllowlistVersionChange]
    {
        try record(db, result, path: path, at: at, knownPrevious: nil)
    }

    /// `record`, reusing `knownPrevious` instead of parsing the stored text again when it is the last valid version
    /// (the editor has just parsed it).
    static func record(
        _ db: Database, _ result: AllowlistLoadResult, path: String, at: Date, knownPrevious: AllowlistLoadResult?
    ) throws -> [AllowlistVersionChange] {
        let time = UTCTimestamp.format(at)
        let latest = try Row.fetchOne(
            db,
            sql: """
                SELECT v.id, v.sha256 FROM allowlist_observation o JOIN allowlist_version v ON v.id = o.version_id
                ORDER BY o.id DESC LIMIT 1
                """)
        if let latest, (latest["sha256"] as String) == result.sha256 { return [] }

        let versionID: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM allowlist_version WHERE sha256 = ?", arguments: [result.sha256]) {
            versionID = existing
        } else {
            // Stored as the region that differs from the version seen last (an edit's `knownPrevious`).
            var base: (id: Int64, text: String)?
            if let latest {
                let id: Int64 = latest["id"]
                if let knownPrevious, knownPrevious.sha256 == (latest["sha256"] as String) {
                    base = (id, knownPrevious.content)
                } else if let text = try AllowlistVersionStore.Reader(db).text(id: id) {
                    base = (id, text)
                }
            }
            versionID = try AllowlistVersionStore.insert(
                db, content: result.content, sha256: result.sha256, path: path, time: time, base: base)
            try Ledger.append(
                db, kind: .allowlistVersion, ref: result.sha256,
                content: AllowlistVersionStore.chainedContent(sha256: result.sha256, byteCount: result.content.utf8.count),
                at: at)
        }
        let previous = result.isValid ? try lastValidVersion(db, known: knownPrevious) : nil
        try db.execute(
            sql: "INSERT INTO allowlist_observation (version_id, path, seen_at, valid) VALUES (?, ?, ?, ?)",
            arguments: [versionID, path, time, result.isValid])
        let observationID = db.lastInsertedRowID
        guard let current = result.allowlist, let previous else { return [] }

        let changes = AllowlistDiff.changes(
            from: previous.allowlist.entries, to: current.entries, fromSHA256: previous.sha256, toSHA256: result.sha256,
            seenAt: Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
        for change in changes {
            try db.execute(
                sql: """
                    INSERT INTO allowlist_change (observation_id, seen_at, kind, entry_id, from_sha256, to_sha256, fields)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    observationID, time, change.kind.rawValue, change.entryID, change.fromSHA256, change.toSHA256,
                    try JSONCoding.string(change.fields, pretty: false),
                ])
        }
        return changes
    }

    /// The newest observed version that was valid, parsed again from its stored text.
    private static func lastValidVersion(_ db: Database, known: AllowlistLoadResult?) throws -> (
        allowlist: Allowlist, sha256: String
    )? {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT v.id, v.sha256, o.path FROM allowlist_observation o
                JOIN allowlist_version v ON v.id = o.version_id
                WHERE o.valid ORDER BY o.id DESC
                """)
        let reader = AllowlistVersionStore.Reader(db)
        while let row = try rows.next() {
            let sha256: String = row["sha256"]
            if let known, known.sha256 == sha256, let allowlist = known.allowlist { return (allowlist, sha256) }
            guard let content = try reader.text(id: row["id"]) else { continue }
            if let allowlist = AllowlistLoader.parse(content: content, path: row["path"], sha256: sha256).result.allowlist {
                return (allowlist, sha256)
            }
        }
        return nil
    }

    /// Appends an edit to the log and the ledger; returns its id. Call inside a write transaction.
    static func appendEdit(_ db: Database, _ edit: AllowlistEdit) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO allowlist_edit (at, by, action, entry_id, reason, summary) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [UTCTimestamp.format(edit.at), edit.by, edit.action.rawValue, edit.entryID, edit.reason, edit.summary])
        let id = db.lastInsertedRowID
        try Ledger.append(
            db, kind: .allowlistEdit, ref: String(id), content: try JSONCoding.string(edit, pretty: false), at: edit.at)
        return id
    }

    /// Edits made through the tool with `from <= at <= to` (either bound optional), oldest first.
    public static func edits(_ db: Database, from: Date?, to: Date?) throws -> [AllowlistEdit] {
        let (clause, arguments) = timeFilter(column: "at", from: from, to: to)
        let rows = try Row.fetchAll(
            db, sql: "SELECT at, by, action, entry_id, reason, summary FROM allowlist_edit\(clause) ORDER BY id",
            arguments: arguments)
        return try rows.map { row in
            let atText: String = row["at"]
            let actionText: String = row["action"]
            guard let at = UTCTimestamp.parse(atText), let action = AllowlistEdit.Action(rawValue: actionText) else {
                throw AllowlistHistoryError.corruptRow(table: "allowlist_edit", detail: "\(atText) \(actionText)")
            }
            return AllowlistEdit(
                at: at, by: row["by"], action: action, entryID: row["entry_id"], reason: row["reason"], summary: row["summary"])
        }
    }

    /// Entry changes between stored versions first seen with `from <= seen_at <= to`, oldest first.
    public static func changes(_ db: Database, from: Date?, to: Date?) throws -> [AllowlistVersionChange] {
        let (clause, arguments) = timeFilter(column: "seen_at", from: from, to: to)
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT seen_at, kind, entry_id, from_sha256, to_sha256, fields FROM allowlist_change\(clause) ORDER BY id",
            arguments: arguments)
        return try rows.map { row in
            let seenText: String = row["seen_at"]
            let kindText: String = row["kind"]
            let fieldsText: String = row["fields"]
            guard let seenAt = UTCTimestamp.parse(seenText), let kind = AllowlistVersionChange.Kind(rawValue: kindText),
                let fields = try? JSONDecoder().decode([String].self, from: Data(fieldsText.utf8))
            else {
                throw AllowlistHistoryError.corruptRow(table: "allowlist_change", detail: "\(seenText) \(kindText)")
            }
            return AllowlistVersionChange(
                kind: kind, entryID: row["entry_id"], seenAt: seenAt, fromSHA256: row["from_sha256"],
                toSHA256: row["to_sha256"], fields: fields)
        }
    }

    /// The stored text of a version, for showing what a past register said.
    public static func content(_ db: Database, sha256: String) throws -> String? {
        try AllowlistVersionStore.text(db, sha256: sha256)
    }

    private static func timeFilter(column: String, from: Date?, to: Date?) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let from {
            conditions.append("\(column) >= ?")
            arguments += [UTCTimestamp.format(from)]
        }
        if let to {
            conditions.append("\(column) <= ?")
            arguments += [UTCTimestamp.format(to)]
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}

public enum AllowlistHistoryError: Error, Sendable, CustomStringConvertible {
    case corruptRow(table: String, detail: String)

    public var description: String {
        switch self {
        case .corruptRow(let table, let detail): "unreadable row in \(table): \(detail)"
        }
    }
}
