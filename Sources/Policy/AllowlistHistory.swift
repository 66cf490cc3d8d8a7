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

    /// Whether the version seen last is the one with digest `sha256` and was valid: `record` would then store nothing
    /// for it, and a run can take its stored parse without recording anything.
    public static func isLatestValid(_ db: Database, sha256: String) throws -> Bool {
        guard let latest = try AllowlistObservationStore.latest(db) else { return false }
        return latest.sha256 == sha256 && latest.valid
    }

    /// `record`, reusing `knownPrevious` instead of parsing the stored text again when it is the last valid version
    /// (the editor has just parsed it).
    static func record(
        _ db: Database, _ result: AllowlistLoadResult, path: String, at: Date, knownPrevious: AllowlistLoadResult?
    ) throws -> [AllowlistVersionChange] {
        let latest = try AllowlistObservationStore.latest(db)
        if let latest, latest.sha256 == result.sha256 { return [] }

        let versionID: Int64
        if let existing = try AllowlistVersionStore.id(db, sha256: result.sha256) {
            versionID = existing
        } else {
            // Stored as the region that differs from the version seen last (an edit's `knownPrevious`).
            var base: (id: Int64, text: String)?
            if let latest {
                if let knownPrevious, knownPrevious.sha256 == latest.sha256 {
                    base = (latest.versionID, knownPrevious.content)
                } else if let text = try AllowlistVersionStore.Reader(db).text(id: latest.versionID) {
                    base = (latest.versionID, text)
                }
            }
            versionID = try AllowlistVersionStore.insert(
                db, content: result.content, sha256: result.sha256, path: path, at: at, base: base)
            try Ledger.append(
                db, kind: .allowlistVersion, ref: result.sha256,
                content: AllowlistVersionStore.chainedContent(sha256: result.sha256, byteCount: result.content.utf8.count),
                at: at)
        }
        let previous = result.isValid ? try lastValidVersion(db, known: knownPrevious) : nil
        let observationID = try AllowlistObservationStore.append(
            db, versionID: versionID, path: path, seenAt: at, valid: result.isValid)
        guard let current = result.allowlist, let previous else { return [] }

        let changes = AllowlistDiff.changes(
            from: previous.allowlist.entries, to: current.entries, fromSHA256: previous.sha256, toSHA256: result.sha256,
            seenAt: Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
        for change in changes {
            try AllowlistChangeStore.append(
                db,
                AllowlistChangeRecord(
                    observationID: observationID, seenAt: at, kind: change.kind.rawValue, entryID: change.entryID,
                    fromSHA256: change.fromSHA256, toSHA256: change.toSHA256, fields: change.fields))
        }
        return changes
    }

    /// The newest observed version that was valid, parsed again from its stored text.
    private static func lastValidVersion(_ db: Database, known: AllowlistLoadResult?) throws -> (
        allowlist: Allowlist, sha256: String
    )? {
        let reader = AllowlistVersionStore.Reader(db)
        for observed in try AllowlistObservationStore.validNewestFirst(db) {
            if let known, known.sha256 == observed.sha256, let allowlist = known.allowlist {
                return (allowlist, observed.sha256)
            }
            guard let content = try reader.text(id: observed.versionID) else { continue }
            let parsed = AllowlistLoader.parse(content: content, path: observed.path, sha256: observed.sha256)
            if let allowlist = parsed.result.allowlist { return (allowlist, observed.sha256) }
        }
        return nil
    }

    /// Appends an edit to the log and the ledger; returns its id. Call inside a write transaction.
    static func appendEdit(_ db: Database, _ edit: AllowlistEdit) throws -> Int64 {
        let id = try AllowlistEditStore.append(
            db,
            AllowlistEditRecord(
                at: edit.at, by: edit.by, action: edit.action.rawValue, entryID: edit.entryID, reason: edit.reason,
                summary: edit.summary))
        try Ledger.append(
            db, kind: .allowlistEdit, ref: String(id), content: try JSONCoding.string(edit, pretty: false), at: edit.at)
        return id
    }

    /// Edits made through the tool with `from <= at <= to` (either bound optional), oldest first.
    public static func edits(_ db: Database, from: Date?, to: Date?) throws -> [AllowlistEdit] {
        try AllowlistEditStore.edits(db, from: from, to: to).map { try AllowlistEdit(stored: $0) }
    }

    /// Entry changes between stored versions first seen with `from <= seen_at <= to`, oldest first.
    public static func changes(_ db: Database, from: Date?, to: Date?) throws -> [AllowlistVersionChange] {
        try AllowlistChangeStore.changes(db, from: from, to: to).map(AllowlistVersionChange.init(stored:))
    }

    /// The stored text of a version, for showing what a past register said.
    public static func content(_ db: Database, sha256: String) throws -> String? {
        try AllowlistVersionStore.text(db, sha256: sha256)
    }
}

// The register's stored rows as the Policy stage's model: a value no version of the tool writes is an error naming
// the row (`StoreError.undecodableRow`), never a default.

/// The columns of an edit, as the edit log (`allowlist_edit`) and the intent logged before it
/// (`allowlist_edit_intent`) both store them.
package protocol StoredAllowlistEdit {
    static var databaseTableName: String { get }
    var id: Int64 { get }
    var at: Date { get }
    var by: String { get }
    var action: String { get }
    var entryID: String { get }
    var reason: String? { get }
    var summary: String { get }
}

extension AllowlistEditRecord: StoredAllowlistEdit {}
extension AllowlistEditIntentRecord: StoredAllowlistEdit {}

extension AllowlistEdit {
    /// The edit a row of `allowlist_edit` holds, or the edit an intent (`allowlist_edit_intent`) was logged for.
    package init(stored row: some StoredAllowlistEdit) throws {
        self.init(
            at: row.at, by: row.by,
            action: try StoredValue.decode(
                Action.self, row.action, table: type(of: row).databaseTableName, row: String(row.id), column: "action"),
            entryID: row.entryID, reason: row.reason, summary: row.summary)
    }
}

extension AllowlistVersionChange {
    /// The change a row of `allowlist_change` holds.
    init(stored row: AllowlistChangeRecord) throws {
        self.init(
            kind: try StoredValue.decode(
                Kind.self, row.kind, table: AllowlistChangeRecord.databaseTableName, row: String(row.id), column: "kind"),
            entryID: row.entryID, seenAt: row.seenAt, fromSHA256: row.fromSHA256, toSHA256: row.toSHA256,
            fields: row.fields)
    }
}
