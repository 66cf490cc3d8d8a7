import Foundation
import GRDB

/// Entry-level changes between observed register versions (`allowlist_change`), whoever made them.
package enum AllowlistChangeStore {
    /// Appends `change` (its `id` is assigned).
    package static func append(_ db: Database, _ change: AllowlistChangeRecord) throws {
        var change = change
        try change.insert(db)
        try ChainedTable.allowlistChange.record(db, key: [change.id])
    }

    /// Changes first seen with `from <= seen_at <= to` (either bound optional), oldest first.
    package static func changes(_ db: Database, from: Date?, to: Date?) throws -> [AllowlistChangeRecord] {
        let seenAt = AllowlistChangeRecord.Columns.seenAt
        var request = AllowlistChangeRecord.all()
        if let from { request = request.filter(seenAt >= StoredTime.text(from)) }
        if let to { request = request.filter(seenAt <= StoredTime.text(to)) }
        return try request.order(AllowlistChangeRecord.Columns.id).fetchAll(db)
    }
}
