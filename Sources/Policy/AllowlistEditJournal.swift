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

    /// The path intents are filed under: absolute, symlinks resolved (the file the atomic writer replaces).
    static func key(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Step 1: records the intent (inside the caller's transaction); returns its id.
    static func begin(_ db: Database, edit: AllowlistEdit, path: String, beforeSHA256: String, afterSHA256: String)
        throws -> Int64
    {
        try AllowlistEditIntentStore.begin(
            db,
            AllowlistEditIntentRecord(
                path: key(path), at: edit.at, by: edit.by, action: edit.action.rawValue, entryID: edit.entryID,
                reason: edit.reason, summary: edit.summary, beforeSHA256: beforeSHA256, afterSHA256: afterSHA256))
    }

    /// Step 3 (or its recovery): appends the edit-log row and the new version, and marks the intent completed.
    /// Claims the intent first, so two processes cannot both complete it. Returns nil when it was no longer pending.
    static func complete(
        _ db: Database, intent: Intent, path: String, after: AllowlistLoadResult, knownPrevious: AllowlistLoadResult?,
        now: Date
    ) throws -> (editID: Int64, changes: [AllowlistVersionChange])? {
        guard try resolve(db, intent: intent.id, as: .completed, now: now) else { return nil }
        let editID = try AllowlistHistory.appendEdit(db, intent.edit)
        try AllowlistEditIntentStore.attach(db, editID: editID, toIntent: intent.id)
        // The new version is stamped with the edit's own time: that is what ties it to the edit in reports.
        let changes = try AllowlistHistory.record(
            db, after, path: path, at: intent.edit.at, knownPrevious: knownPrevious)
        return (editID, changes)
    }

    /// Moves a pending intent to `state`; false when it was not pending any more.
    static func resolve(_ db: Database, intent id: Int64, as state: AllowlistEditIntentState, now: Date) throws -> Bool {
        try AllowlistEditIntentStore.resolve(db, intent: id, as: state, at: now)
    }

    /// Pending intents for the register at `path`, oldest first.
    static func pending(_ db: Database, path: String) throws -> [Intent] {
        try AllowlistEditIntentStore.pending(db, path: key(path)).map { row in
            Intent(
                id: row.id, path: row.path, edit: try AllowlistEdit(stored: row), beforeSHA256: row.beforeSHA256,
                afterSHA256: row.afterSHA256)
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
