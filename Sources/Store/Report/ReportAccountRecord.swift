import GRDB

/// One row of `report_account`: a bypassed account a stored report run listed. `status` is the Reporting stage's
/// `AccountApprovalStatus`, kept as stored; Reporting maps it.
package struct ReportAccountRecord: FetchableRecord, PersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "report_account"
    /// An account key already stored for the run is kept as it is (the run stores each account once).
    package static let persistenceConflictPolicy = PersistenceConflictPolicy(insert: .ignore, update: .abort)

    package enum Columns {
        package static let runID = Column("run_id")
        package static let accountKey = Column("account_key")
        package static let name = Column("name")
        package static let status = Column("status")
    }

    package var runID: Int64
    package var accountKey: String
    package var name: String
    package var status: String

    package init(runID: Int64, accountKey: String, name: String, status: String) {
        self.runID = runID
        self.accountKey = accountKey
        self.name = name
        self.status = status
    }

    package init(row: Row) throws {
        runID = try row.decode(forColumn: Columns.runID)
        accountKey = try row.decode(forColumn: Columns.accountKey)
        name = try row.decode(forColumn: Columns.name)
        status = try row.decode(forColumn: Columns.status)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.runID] = runID
        container[Columns.accountKey] = accountKey
        container[Columns.name] = name
        container[Columns.status] = status
    }
}
