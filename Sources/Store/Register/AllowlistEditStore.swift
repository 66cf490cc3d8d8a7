import Foundation
import GRDB

/// The log of register edits made through the tool (`allowlist_edit`). The caller chains each edit in the ledger
/// (`allowlist-edit`, ref = its id) in the same transaction: the chained content is the Policy stage's edit.
package enum AllowlistEditStore {
    /// Appends `edit` and returns its row id.
    package static func append(_ db: Database, _ edit: AllowlistEditRecord) throws -> Int64 {
        var edit = edit
        try edit.insert(db)
        return edit.id
    }

    /// Edits with `from <= at <= to` (either bound optional), oldest first.
    package static func edits(_ db: Database, from: Date?, to: Date?) throws -> [AllowlistEditRecord] {
        let at = AllowlistEditRecord.Columns.at
        var request = AllowlistEditRecord.all()
        if let from { request = request.filter(at >= StoredTime.text(from)) }
        if let to { request = request.filter(at <= StoredTime.text(to)) }
        return try request.order(AllowlistEditRecord.Columns.id).fetchAll(db)
    }

    /// Every logged edit, in id order.
    package static func all(_ db: Database) throws -> [AllowlistEditRecord] {
        try storedEdits(db).map { try $0.record.get() }
    }

    /// Every logged edit in id order, each decoded on its own, under its chain ref (its id), for `verify`.
    package static func storedEdits(_ db: Database) throws -> [DecodedRow<AllowlistEditRecord>] {
        try DecodedRow.fetchAll(
            db, AllowlistEditRecord.order(AllowlistEditRecord.Columns.id),
            ref: { row in String(try row.decode(Int64.self, forColumn: AllowlistEditRecord.Columns.id)) },
            decode: AllowlistEditRecord.init(row:))
    }
}
