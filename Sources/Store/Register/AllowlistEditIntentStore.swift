import Foundation
import GRDB

/// Register edits logged before their file is replaced (`allowlist_edit_intent`), so an edit a crash interrupted is
/// settled by the next command (see the Policy stage's `AllowlistEditJournal`).
package enum AllowlistEditIntentStore {
    /// Logs `intent` (state `pending`) and returns its row id.
    package static func begin(_ db: Database, _ intent: AllowlistEditIntentRecord) throws -> Int64 {
        var intent = intent
        intent.state = .pending
        try intent.insert(db)
        return intent.id
    }

    /// Moves pending intent `id` to `state` at `time`; false when it was not pending any more (another process
    /// settled it), so two processes never both act on one intent.
    package static func resolve(_ db: Database, intent id: Int64, as state: AllowlistEditIntentState, at time: Date)
        throws -> Bool
    {
        let columns = AllowlistEditIntentRecord.Columns.self
        let changed = try AllowlistEditIntentRecord
            .filter(key: id).filter(columns.state == AllowlistEditIntentState.pending.rawValue)
            .updateAll(db, columns.state.set(to: state.rawValue), columns.resolvedAt.set(to: StoredTime.text(time)))
        return changed == 1
    }

    /// Records the edit-log row intent `id` was completed with.
    package static func attach(_ db: Database, editID: Int64, toIntent id: Int64) throws {
        try AllowlistEditIntentRecord.filter(key: id)
            .updateAll(db, AllowlistEditIntentRecord.Columns.editID.set(to: editID))
    }

    /// Pending intents for the register at `path` (as the journal files it), oldest first.
    package static func pending(_ db: Database, path: String) throws -> [AllowlistEditIntentRecord] {
        let columns = AllowlistEditIntentRecord.Columns.self
        return try AllowlistEditIntentRecord
            .filter(columns.state == AllowlistEditIntentState.pending.rawValue && columns.path == path)
            .order(columns.id).fetchAll(db)
    }
}
