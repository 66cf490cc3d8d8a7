import Core
import GRDB

/// One row of `report_finding`: a finding a stored report run had. `kind` is the Drift stage's `FindingKind`, kept
/// as stored; Reporting maps it.
package struct ReportFindingRecord: FetchableRecord, PersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "report_finding"
    /// A finding id already stored for the run is kept as it is (the run stores each id once).
    package static let persistenceConflictPolicy = PersistenceConflictPolicy(insert: .ignore, update: .abort)

    package enum Columns {
        package static let runID = Column("run_id")
        package static let findingID = Column("finding_id")
        package static let kind = Column("kind")
        package static let severity = Column("severity")
    }

    package var runID: Int64
    package var findingID: String
    package var kind: String
    package var severity: Severity

    package init(runID: Int64, findingID: String, kind: String, severity: Severity) {
        self.runID = runID
        self.findingID = findingID
        self.kind = kind
        self.severity = severity
    }

    package init(row: Row) throws {
        runID = try row.decode(forColumn: Columns.runID)
        findingID = try row.decode(forColumn: Columns.findingID)
        kind = try row.decode(forColumn: Columns.kind)
        severity = try StoredValue.decode(
            Severity.self, try row.decode(forColumn: Columns.severity), table: Self.databaseTableName,
            row: "\(runID):\(findingID)", column: Columns.severity.name)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.runID] = runID
        container[Columns.findingID] = findingID
        container[Columns.kind] = kind
        container[Columns.severity] = severity.rawValue
    }
}
