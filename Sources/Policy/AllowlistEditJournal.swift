import Core
import Store
import Foundation
import GRDB

/// A register edit as one recoverable step.
///
/// The register file and the database cannot change in one transaction, so an edit goes in three steps:
/// 1. the intent (who, what, why, the register's hash before and after) is committed with the baseline version;
/// 2. the file is replaced atomically;
/// 3. the edit-log row and the new version are committed, and the intent is marked completed.
///
/// A process killed between 1 and 3 leaves a pending intent. The next command that works on the same register (with
/// the register lock held, so no live edit is mistaken for a dead one) resolves it by looking at the file: holding
/// the new text, the edit happened and step 3 is done then, with the edit's own time, author and reason; holding the
/// old text, nothing happened and the intent is rolled back; holding neither, someone changed the file since and the
/// intent stays on record as unresolved rather than being guessed either way.
enum AllowlistEditJournal {
    struct Intent {
        var id: Int64
        var path: String
        var edit: AllowlistEdit
        var beforeSHA256: String
        var afterSHA256: String
    }

    enum State: String {
        case pending
        case completed
        case rolledBack = "rolled-back"
        case unresolved
    }

    /// The path intents are filed under: absolute, symlinks resolved (the file the atomic writer replaces).
    static func key(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Step 1: records the intent (inside the caller's transaction); returns its id.
    static func begin(_ db: Database, edit: AllowlistEdit, path: String, beforeSHA256: String, afterSHA256: String)
        throws -> Int64
    {
        try db.execute(
            sql: """
                INSERT INTO allowlist_edit_intent
                    (path, at, by, action, entry_id, reason, summary, before_sha256, after_sha256, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key(path), UTCTimestamp.format(edit.at), edit.by, edit.action.rawValue, edit.entryID, edit.reason,
                edit.summary, beforeSHA256, afterSHA256, State.pending.rawValue,
            ])
        return db.lastInsertedRowID
    }

    /// Step 3 (or its recovery): appends the edit-log row and the new version, and marks the intent completed.
    /// Claims the intent first, so two processes cannot both complete it. Returns nil when it was no longer pending.
    static func complete(
        _ db: Database, intent: Intent, path: String, after: AllowlistLoadResult, knownPrevious: AllowlistLoadResult?,
        now: Date
    ) throws -> (editID: Int64, changes: [AllowlistVersionChange])? {
        guard try resolve(db, intent: intent.id, as: .completed, now: now) else { return nil }
        let editID = try AllowlistHistory.appendEdit(db, intent.edit)
        try db.execute(sql: "UPDATE allowlist_edit_intent SET edit_id = ? WHERE id = ?", arguments: [editID, intent.id])
        // The new version is stamped with the edit's own time: that is what ties it to the edit in reports.
        let changes = try AllowlistHistory.record(
            db, after, path: path, at: intent.edit.at, knownPrevious: knownPrevious)
        return (editID, changes)
    }

    /// Moves a pending intent to `state`; false when it was not pending any more.
    static func resolve(_ db: Database, intent id: Int64, as state: State, now: Date) throws -> Bool {
        try db.execute(
            sql: "UPDATE allowlist_edit_intent SET state = ?, resolved_at = ? WHERE id = ? AND state = ?",
            arguments: [state.rawValue, UTCTimestamp.format(now), id, State.pending.rawValue])
        return db.changesCount == 1
    }

    /// Pending intents for the register at `path`, oldest first.
    static func pending(_ db: Database, path: String) throws -> [Intent] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, path, at, by, action, entry_id, reason, summary, before_sha256, after_sha256
                FROM allowlist_edit_intent WHERE state = ? AND path = ? ORDER BY id
                """,
            arguments: [State.pending.rawValue, key(path)]
        ).map { row in
            let atText: String = row["at"]
            let actionText: String = row["action"]
            guard let at = UTCTimestamp.parse(atText), let action = AllowlistEdit.Action(rawValue: actionText) else {
                throw AllowlistHistoryError.corruptRow(table: "allowlist_edit_intent", detail: "\(atText) \(actionText)")
            }
            return Intent(
                id: row["id"], path: row["path"],
                edit: AllowlistEdit(
                    at: at, by: row["by"], action: action, entryID: row["entry_id"], reason: row["reason"],
                    summary: row["summary"]),
                beforeSHA256: row["before_sha256"], afterSHA256: row["after_sha256"])
        }
    }

    /// Resolves every pending intent for the register at `path`. The caller holds the register lock, so none of them
    /// belongs to an edit still running.
    static func recover(path: String, database: AuditDatabase, now: Date = Date()) throws -> [AllowlistEditRecovery] {
        let intents = try database.read { db in try pending(db, path: path) }
        guard !intents.isEmpty else { return [] }
        let current: AllowlistLoadResult? = try? AllowlistLoader.load(path: path)
        return try database.write { db in
            var recoveries: [AllowlistEditRecovery] = []
            for intent in intents {
                if let current, current.sha256 == intent.afterSHA256 {
                    if let (editID, _) = try complete(
                        db, intent: intent, path: path, after: current, knownPrevious: nil, now: now) {
                        recoveries.append(AllowlistEditRecovery(edit: intent.edit, resolution: .completed, editID: editID))
                    }
                } else if let current, current.sha256 == intent.beforeSHA256 {
                    if try resolve(db, intent: intent.id, as: .rolledBack, now: now) {
                        recoveries.append(AllowlistEditRecovery(edit: intent.edit, resolution: .rolledBack, editID: nil))
                    }
                } else if try resolve(db, intent: intent.id, as: .unresolved, now: now) {
                    recoveries.append(AllowlistEditRecovery(edit: intent.edit, resolution: .unresolved, editID: nil))
                }
            }
            return recoveries
        }
    }
}

/// An edit interrupted by a crash, as the next command found it and settled it.
public struct AllowlistEditRecovery: Sendable, Hashable, Encodable, CustomStringConvertible {
    public enum Resolution: String, Sendable, Hashable, Encodable {
        /// The file held the edited text: the edit-log row was written now, with the edit's time, author and reason.
        case completed
        /// The file still held the text from before the edit: nothing had changed, the intent was dropped.
        case rolledBack = "rolled-back"
        /// The file held neither text: it was changed by something else since. Whether the edit ever reached the
        /// file cannot be told, so it is neither logged as done nor dropped silently.
        case unresolved
    }

    public var edit: AllowlistEdit
    public var resolution: Resolution
    /// The edit-log row written on completion.
    public var editID: Int64?

    /// Settles edits of the register at `path` that a crash interrupted, before a command records or judges it
    /// (the editor does this itself before each edit).
    public static func settle(path: String, database: AuditDatabase) throws -> [AllowlistEditRecovery] {
        try AllowlistEditJournal.recover(path: path, database: database)
    }

    public var description: String {
        let what = "'\(edit.summary)' by \(edit.by) at \(UTCTimestamp.format(edit.at))"
        switch resolution {
        case .completed:
            return "an interrupted register edit was completed: \(what) is now edit #\(editID ?? 0) in the log"
        case .rolledBack:
            return "an interrupted register edit was rolled back: \(what) never reached the file, which is unchanged"
        case .unresolved:
            return "an interrupted register edit could not be settled: \(what); the register has changed since, so "
                + "whether it was applied is unknown: check the file's git history"
        }
    }
}
