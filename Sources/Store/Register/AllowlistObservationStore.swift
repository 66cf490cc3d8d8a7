import Foundation
import GRDB

/// The order register versions were seen in (`allowlist_observation`): each run that found the register different
/// from the run before appends an observation of the version it found.
package enum AllowlistObservationStore {
    /// An observation with the digest of the version it saw.
    package struct ObservedVersion: Sendable, Hashable {
        package var versionID: Int64
        package var sha256: String
        /// The register's path as that run was given it.
        package var path: String
        /// Whether that run found the register valid.
        package var valid: Bool
    }

    /// The version seen last, nil when none was seen yet.
    package static func latest(_ db: Database) throws -> ObservedVersion? {
        try observedVersions(db, validOnly: false, limit: 1).first
    }

    /// Every observation of a valid register, newest first.
    package static func validNewestFirst(_ db: Database) throws -> [ObservedVersion] {
        try observedVersions(db, validOnly: true, limit: nil)
    }

    /// Appends an observation of version `versionID` and returns its row id.
    package static func append(_ db: Database, versionID: Int64, path: String, seenAt: Date, valid: Bool) throws -> Int64 {
        var observation = AllowlistObservationRecord(versionID: versionID, path: path, seenAt: seenAt, valid: valid)
        try observation.insert(db)
        try ChainedTable.allowlistObservation.record(db, key: [observation.id])
        return observation.id
    }

    private static func observedVersions(_ db: Database, validOnly: Bool, limit: Int?) throws -> [ObservedVersion] {
        let validity = validOnly ? "WHERE o.valid" : ""
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT v.id, v.sha256, o.path, o.valid FROM allowlist_observation o
                JOIN allowlist_version v ON v.id = o.version_id
                \(validity) ORDER BY o.id DESC LIMIT ?
                """,
            // SQLite reads a negative limit as none.
            arguments: [limit ?? -1])
        return try rows.map { row in
            ObservedVersion(
                versionID: try row.decode(atIndex: 0), sha256: try row.decode(atIndex: 1), path: try row.decode(atIndex: 2),
                valid: try row.decode(atIndex: 3))
        }
    }
}
