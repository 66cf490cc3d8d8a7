import Policy
import Store
import Foundation

/// `allowlist show`: an entry's edit log and its changes between register versions.
public enum EntryHistory {
    /// Everything the database logged about entry `id` (case-insensitive), oldest first.
    public static func of(_ id: String, in database: AuditDatabase) throws -> (edits: [AllowlistEdit], changes: [AllowlistVersionChange]) {
        let key = id.lowercased()
        return try database.read { db in
            (
                try AllowlistHistory.edits(db, from: nil, to: nil).filter { $0.entryID.lowercased() == key },
                try AllowlistHistory.changes(db, from: nil, to: nil).filter { $0.entryID.lowercased() == key }
            )
        }
    }
}
