import Core
import Foundation

/// One logged correction of an imported snapshot: `snapshot remove` (imported by mistake) or `snapshot redate`
/// (imported with the wrong taking time), as `snapshot_correction` keeps it (`SnapshotCorrectionRecord`).
///
/// Its canonical JSON is the `snapshot-correction` chain entry, so `verify` can tell a corrected snapshot (gone, or
/// with another time, and explained by a chained correction) from one deleted or edited outside the tool, and a
/// deleted correction log row shows up as tampering.
public struct SnapshotCorrection: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case remove
        case redate
    }

    /// The row id in `snapshot_correction` (the chain entry's ref).
    public var id: Int64
    public var snapshotID: Int64
    public var tenant: TenantID
    public var action: Action
    /// When the correction was made.
    public var at: Date
    /// Who made it (`--by`, else the login name).
    public var by: String
    public var reason: String
    /// The snapshot's taking time before the correction.
    public var takenAtBefore: Date
    /// The new taking time (re-dating only).
    public var takenAtAfter: Date?
    /// The corrected snapshot's file name, content digest and row count, so the log names what was removed.
    public var fileName: String
    public var sha256: String
    public var rows: Int

    package init(
        id: Int64 = 0, snapshotID: Int64, tenant: TenantID, action: Action, at: Date, by: String, reason: String,
        takenAtBefore: Date, takenAtAfter: Date?, fileName: String, sha256: String, rows: Int
    ) {
        self.id = id
        self.snapshotID = snapshotID
        self.tenant = tenant
        self.action = action
        self.at = at
        self.by = by
        self.reason = reason
        self.takenAtBefore = takenAtBefore
        self.takenAtAfter = takenAtAfter
        self.fileName = fileName
        self.sha256 = sha256
        self.rows = rows
    }

    /// The `snapshot-correction` chain entry's content.
    package func canonicalJSON() throws -> String { try JSONCoding.string(self, pretty: false) }
}
