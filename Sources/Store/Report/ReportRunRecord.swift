import Core
import Foundation
import GRDB

/// One row of `report_run`: what a `report` run wrote and where its folder is. `verdict` is the Reporting stage's
/// `Verdict`, kept as stored; Reporting maps it.
package struct ReportRunRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "report_run"

    package enum Columns {
        package static let id = Column("id")
        package static let reportID = Column("report_id")
        package static let tenant = Column("tenant")
        package static let periodLabel = Column("period_label")
        package static let periodFirstDay = Column("period_first_day")
        package static let periodLastDay = Column("period_last_day")
        package static let revision = Column("revision")
        package static let asOf = Column("as_of")
        package static let generatedAt = Column("generated_at")
        package static let folder = Column("folder")
        package static let verdict = Column("verdict")
        package static let findingsCritical = Column("findings_critical")
        package static let findingsHigh = Column("findings_high")
        package static let findingsMedium = Column("findings_medium")
        package static let findingsLow = Column("findings_low")
        package static let findingsInfo = Column("findings_info")
        package static let bypassedAccounts = Column("bypassed_accounts")
        package static let state = Column("state")
        package static let manifestSHA256 = Column("manifest_sha256")
        package static let location = Column("location")
        package static let staging = Column("staging")
        package static let reason = Column("reason")
        package static let madeBy = Column("made_by")
        package static let replacesRevision = Column("replaces_revision")
        package static let replacesAside = Column("replaces_aside")
        package static let replacedBy = Column("replaced_by")
        package static let replacedAt = Column("replaced_at")
    }

    /// The row's key, assigned by SQLite on insert (`encode` leaves it out; a record built to be inserted holds 0).
    package var id: Int64
    package var reportID: String
    package var tenant: TenantID
    package var periodLabel: String
    package var periodFirstDay: UTCDay
    package var periodLastDay: UTCDay
    package var revision: Int
    package var asOf: Date
    package var generatedAt: Date
    /// The folder as the run was given it.
    package var folder: String
    package var verdict: String
    package var findingsCritical: Int
    package var findingsHigh: Int
    package var findingsMedium: Int
    package var findingsLow: Int
    package var findingsInfo: Int
    package var bypassedAccounts: Int
    package var state: ReportRunState
    /// SHA-256 of the folder's `SHA256SUMS` (runs stored before the tool kept it have none).
    package var manifestSHA256: String?
    /// The folder's absolute path now (moved aside when replaced).
    package var location: String?
    /// Pending runs: the hidden folder the files were rendered in.
    package var staging: String?
    package var reason: String?
    package var madeBy: String?
    /// `--force`: the revision this run withdrew, and where that revision's folder goes.
    package var replacesRevision: Int?
    package var replacesAside: String?
    /// Replaced runs: the report id of the run that withdrew it, and when.
    package var replacedBy: String?
    package var replacedAt: Date?

    package init(
        id: Int64 = 0, reportID: String, tenant: TenantID, periodLabel: String, periodFirstDay: UTCDay,
        periodLastDay: UTCDay, revision: Int, asOf: Date, generatedAt: Date, folder: String, verdict: String,
        findingsCritical: Int, findingsHigh: Int, findingsMedium: Int, findingsLow: Int, findingsInfo: Int,
        bypassedAccounts: Int, state: ReportRunState, manifestSHA256: String? = nil, location: String? = nil,
        staging: String? = nil, reason: String? = nil, madeBy: String? = nil, replacesRevision: Int? = nil,
        replacesAside: String? = nil, replacedBy: String? = nil, replacedAt: Date? = nil
    ) {
        self.id = id
        self.reportID = reportID
        self.tenant = tenant
        self.periodLabel = periodLabel
        self.periodFirstDay = periodFirstDay
        self.periodLastDay = periodLastDay
        self.revision = revision
        self.asOf = asOf
        self.generatedAt = generatedAt
        self.folder = folder
        self.verdict = verdict
        self.findingsCritical = findingsCritical
        self.findingsHigh = findingsHigh
        self.findingsMedium = findingsMedium
        self.findingsLow = findingsLow
        self.findingsInfo = findingsInfo
        self.bypassedAccounts = bypassedAccounts
        self.state = state
        self.manifestSHA256 = manifestSHA256
        self.location = location
        self.staging = staging
        self.reason = reason
        self.madeBy = madeBy
        self.replacesRevision = replacesRevision
        self.replacesAside = replacesAside
        self.replacedBy = replacedBy
        self.replacedAt = replacedAt
    }

    package init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        let key = String(id)
        let table = Self.databaseTableName
        func day(_ column: Column) throws -> UTCDay {
            let text: String = try row.decode(forColumn: column)
            guard let day = UTCDay(text) else {
                throw StoreError.undecodableRow(table: table, row: key, column: column.name, value: text)
            }
            return day
        }
        reportID = try row.decode(forColumn: Columns.reportID)
        tenant = TenantID(try row.decode(String.self, forColumn: Columns.tenant))
        periodLabel = try row.decode(forColumn: Columns.periodLabel)
        periodFirstDay = try day(Columns.periodFirstDay)
        periodLastDay = try day(Columns.periodLastDay)
        revision = try row.decode(forColumn: Columns.revision)
        asOf = try StoredTime.decode(row, Columns.asOf, table: table, key: key)
        generatedAt = try StoredTime.decode(row, Columns.generatedAt, table: table, key: key)
        folder = try row.decode(forColumn: Columns.folder)
        verdict = try row.decode(forColumn: Columns.verdict)
        findingsCritical = try row.decode(forColumn: Columns.findingsCritical)
        findingsHigh = try row.decode(forColumn: Columns.findingsHigh)
        findingsMedium = try row.decode(forColumn: Columns.findingsMedium)
        findingsLow = try row.decode(forColumn: Columns.findingsLow)
        findingsInfo = try row.decode(forColumn: Columns.findingsInfo)
        bypassedAccounts = try row.decode(forColumn: Columns.bypassedAccounts)
        state = try StoredValue.decode(
            ReportRunState.self, try row.decode(forColumn: Columns.state), table: table, row: key,
            column: Columns.state.name)
        manifestSHA256 = try row.decode(forColumn: Columns.manifestSHA256)
        location = try row.decode(forColumn: Columns.location)
        staging = try row.decode(forColumn: Columns.staging)
        reason = try row.decode(forColumn: Columns.reason)
        madeBy = try row.decode(forColumn: Columns.madeBy)
        replacesRevision = try row.decode(forColumn: Columns.replacesRevision)
        replacesAside = try row.decode(forColumn: Columns.replacesAside)
        replacedBy = try row.decode(forColumn: Columns.replacedBy)
        replacedAt = try StoredTime.decodeIfPresent(row, Columns.replacedAt, table: table, key: key)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.reportID] = reportID
        container[Columns.tenant] = tenant.rawValue
        container[Columns.periodLabel] = periodLabel
        container[Columns.periodFirstDay] = periodFirstDay.description
        container[Columns.periodLastDay] = periodLastDay.description
        container[Columns.revision] = revision
        container[Columns.asOf] = StoredTime.text(asOf)
        container[Columns.generatedAt] = StoredTime.text(generatedAt)
        container[Columns.folder] = folder
        container[Columns.verdict] = verdict
        container[Columns.findingsCritical] = findingsCritical
        container[Columns.findingsHigh] = findingsHigh
        container[Columns.findingsMedium] = findingsMedium
        container[Columns.findingsLow] = findingsLow
        container[Columns.findingsInfo] = findingsInfo
        container[Columns.bypassedAccounts] = bypassedAccounts
        container[Columns.state] = state.rawValue
        container[Columns.manifestSHA256] = manifestSHA256
        container[Columns.location] = location
        container[Columns.staging] = staging
        container[Columns.reason] = reason
        container[Columns.madeBy] = madeBy
        container[Columns.replacesRevision] = replacesRevision
        container[Columns.replacesAside] = replacesAside
        container[Columns.replacedBy] = replacedBy
        container[Columns.replacedAt] = replacedAt.map(StoredTime.text)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
