import Core
import Foundation

/// What the ledger chains for snapshots (kind `snapshot-row`): each snapshot under ref `<id>:0`, each of its rows
/// under `<id>:<row>`. `verify` rebuilds these from the stored rows and compares them with the chained text.
package enum SnapshotLedger {
    /// The ledger `ref` of one row; row 0 stands for the snapshot itself.
    package static func ref(snapshotID: Int64, row: Int) -> String { "\(snapshotID):\(row)" }
}

/// What a snapshot's own ledger entry (`<id>:0`) holds: every column of the `snapshot` row, so that a snapshot
/// inserted by hand (an empty "complete" one would hide every bypass) or an edited taking time shows up in `verify`.
package struct SnapshotHeaderLedgerContent: Codable, Equatable, Sendable {
    package var id: Int64
    package var tenant: TenantID
    package var takenAt: Date
    package var takenAtGiven: Bool
    package var importedAt: Date
    package var fileName: String
    package var sha256: String
    package var format: String
    package var rows: Int
    package var complete: Bool
    package var completeGiven: Bool

    package init(_ snapshot: SnapshotRecord) {
        id = snapshot.id
        tenant = snapshot.tenant
        takenAt = snapshot.takenAt
        takenAtGiven = snapshot.takenAtGiven
        importedAt = snapshot.importedAt
        fileName = snapshot.fileName
        sha256 = snapshot.sha256
        format = snapshot.format
        rows = snapshot.rows
        complete = snapshot.complete
        completeGiven = snapshot.completeGiven
    }

    /// The chained text.
    package func canonicalJSON() throws -> String { try JSONCoding.string(self, pretty: false) }
}

/// What one row's ledger entry (`<id>:<row>`) holds: the row as stored, state included.
package struct SnapshotRowLedgerContent: Codable, Equatable, Sendable {
    /// The row's columns under the names entries have always been written with (the keys of the Inventory stage's
    /// `SnapshotRow`, whose JSON this was first written as).
    package struct Cells: Codable, Equatable, Sendable {
        package var row: Int
        package var line: Int
        package var name: String?
        package var identity: String?
        package var distinguishedName: String?
        package var guid: String?
        package var exchangeObjectId: String?
        package var organizationId: String?
        package var auditBypassEnabled: String?
        package var bypassEnabled: Bool?
    }

    package var snapshotId: Int64
    package var row: Cells

    package init(_ record: SnapshotRowRecord) {
        snapshotId = record.snapshotID
        row = Cells(
            row: record.row, line: record.line, name: record.name, identity: record.identity,
            distinguishedName: record.distinguishedName, guid: record.guid, exchangeObjectId: record.exchangeObjectID,
            organizationId: record.organizationID, auditBypassEnabled: record.auditBypassEnabled,
            bypassEnabled: record.bypassEnabled)
    }

    /// The chained text.
    package func canonicalJSON() throws -> String { try JSONCoding.string(self, pretty: false) }
}
