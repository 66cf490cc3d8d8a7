import Core
import Foundation
import GRDB

/// One row of `snapshot_row`: a data row of an imported snapshot, its identity columns as the export wrote them.
/// Chained in the ledger as `snapshot-row` with ref `<snapshot>:<row>` (see `SnapshotRowLedgerContent`). The text
/// columns are export-written, so they are stored as `NULSafeText`; the properties hold the text itself.
package struct SnapshotRowRecord: FetchableRecord, PersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "snapshot_row"

    package enum Columns {
        package static let snapshotID = Column("snapshot_id")
        package static let row = Column("row")
        package static let line = Column("line")
        package static let name = Column("name")
        package static let identity = Column("identity")
        package static let distinguishedName = Column("distinguished_name")
        package static let guid = Column("guid")
        package static let exchangeObjectID = Column("exchange_object_id")
        package static let organizationID = Column("organization_id")
        package static let auditBypassEnabled = Column("audit_bypass_enabled")
        package static let bypassEnabled = Column("bypass_enabled")
    }

    package var snapshotID: Int64
    /// 1 for the first data row of the file.
    package var row: Int
    /// The line of the file the row starts on.
    package var line: Int
    package var name: String?
    package var identity: String?
    package var distinguishedName: String?
    package var guid: String?
    package var exchangeObjectID: String?
    package var organizationID: String?
    /// The `AuditBypassEnabled` cell as written.
    package var auditBypassEnabled: String?
    /// The state the inventory uses; nil when the cell was missing or unreadable (indeterminate).
    package var bypassEnabled: Bool?

    package init(
        snapshotID: Int64, row: Int, line: Int, name: String?, identity: String?, distinguishedName: String?,
        guid: String?, exchangeObjectID: String?, organizationID: String?, auditBypassEnabled: String?,
        bypassEnabled: Bool?
    ) {
        self.snapshotID = snapshotID
        self.row = row
        self.line = line
        self.name = name
        self.identity = identity
        self.distinguishedName = distinguishedName
        self.guid = guid
        self.exchangeObjectID = exchangeObjectID
        self.organizationID = organizationID
        self.auditBypassEnabled = auditBypassEnabled
        self.bypassEnabled = bypassEnabled
    }

    package init(row stored: Row) throws {
        snapshotID = try stored.decode(forColumn: Columns.snapshotID)
        row = try stored.decode(forColumn: Columns.row)
        line = try stored.decode(forColumn: Columns.line)
        name = NULSafeText.decode(try stored.decode(String?.self, forColumn: Columns.name))
        identity = NULSafeText.decode(try stored.decode(String?.self, forColumn: Columns.identity))
        distinguishedName = NULSafeText.decode(try stored.decode(String?.self, forColumn: Columns.distinguishedName))
        guid = try stored.decode(forColumn: Columns.guid)
        exchangeObjectID = try stored.decode(forColumn: Columns.exchangeObjectID)
        organizationID = try stored.decode(forColumn: Columns.organizationID)
        auditBypassEnabled = try stored.decode(forColumn: Columns.auditBypassEnabled)
        bypassEnabled = try stored.decode(forColumn: Columns.bypassEnabled)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.snapshotID] = snapshotID
        container[Columns.row] = row
        container[Columns.line] = line
        container[Columns.name] = NULSafeText.encode(name)
        container[Columns.identity] = NULSafeText.encode(identity)
        container[Columns.distinguishedName] = NULSafeText.encode(distinguishedName)
        container[Columns.guid] = guid
        container[Columns.exchangeObjectID] = exchangeObjectID
        container[Columns.organizationID] = organizationID
        container[Columns.auditBypassEnabled] = auditBypassEnabled
        container[Columns.bypassEnabled] = bypassEnabled
    }
}
