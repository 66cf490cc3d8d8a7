import Foundation
import GRDB

/// One row of `allowlist_version_delta`: a version rebuilt from its base as the base's first `prefixBytes` and last
/// `suffixBytes` UTF-8 bytes with `middle` between them (see `AllowlistVersionStore`).
package struct AllowlistVersionDeltaRecord: FetchableRecord, PersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "allowlist_version_delta"

    package enum Columns {
        package static let versionID = Column("version_id")
        package static let baseVersionID = Column("base_version_id")
        package static let prefixBytes = Column("prefix_bytes")
        package static let suffixBytes = Column("suffix_bytes")
        package static let middle = Column("middle")
        package static let depth = Column("depth")
    }

    package var versionID: Int64
    package var baseVersionID: Int64
    package var prefixBytes: Int
    package var suffixBytes: Int
    package var middle: Data
    /// Deltas down to a version stored in full (1: the base is stored in full).
    package var depth: Int

    package init(versionID: Int64, baseVersionID: Int64, prefixBytes: Int, suffixBytes: Int, middle: Data, depth: Int) {
        self.versionID = versionID
        self.baseVersionID = baseVersionID
        self.prefixBytes = prefixBytes
        self.suffixBytes = suffixBytes
        self.middle = middle
        self.depth = depth
    }

    package init(row: Row) throws {
        versionID = try row.decode(forColumn: Columns.versionID)
        baseVersionID = try row.decode(forColumn: Columns.baseVersionID)
        prefixBytes = try row.decode(forColumn: Columns.prefixBytes)
        suffixBytes = try row.decode(forColumn: Columns.suffixBytes)
        middle = try row.decode(forColumn: Columns.middle)
        depth = try row.decode(forColumn: Columns.depth)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.versionID] = versionID
        container[Columns.baseVersionID] = baseVersionID
        container[Columns.prefixBytes] = prefixBytes
        container[Columns.suffixBytes] = suffixBytes
        container[Columns.middle] = middle
        container[Columns.depth] = depth
    }
}
