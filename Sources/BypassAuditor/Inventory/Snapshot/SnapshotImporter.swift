import Foundation
import GRDB

/// Imports one `Get-MailboxAuditBypassAssociation` export as a dated snapshot.
public enum SnapshotImporter {
    public struct Options: Sendable {
        /// When the export was taken; nil means "now" (the import time), and the result says so.
        public var takenAt: Date?
        /// The tenant, for exports whose rows do not name it (Exchange Online writes OrganizationId as a path).
        public var tenant: TenantID?
        /// The export lists every mailbox (or every bypassed one): absence from it means "not bypassed".
        public var complete: Bool
        /// The import time.
        public var now: Date

        public init(takenAt: Date? = nil, tenant: TenantID? = nil, complete: Bool = false, now: Date = Date()) {
            self.takenAt = takenAt
            self.tenant = tenant
            self.complete = complete
            self.now = now
        }
    }

    /// Where the snapshot's tenant came from.
    public enum TenantSource: String, Sendable, Hashable, Codable {
        /// `--tenant`.
        case given
        /// The rows' `OrganizationId`.
        case rows
        /// Neither said; the database holds exactly one tenant.
        case onlyTenantInDatabase = "only-tenant-in-database"
    }

    public struct Result: Sendable, Hashable, Codable {
        public var snapshot: SnapshotSummary
        /// True when a file with the same content was imported before: nothing new was stored.
        public var alreadyImported: Bool
        public var tenantSource: TenantSource?
        /// Not complete (no False row and no `--complete`, or rows that could not be read): accounts absent from
        /// it are not concluded to be unbypassed.
        public var possiblyFiltered: Bool
        /// Rows that could not be read at all (skipped), with file, line and reason.
        public var skipped: [SnapshotProblem]
        /// Rows stored without a readable `AuditBypassEnabled` (indeterminate: reported, never guessed).
        public var indeterminate: [SnapshotProblem]
        /// This snapshot against the logs at its taking time: unexplained bypasses and mismatches.
        public var discrepancies: [SnapshotDiscrepancy]
    }

    public enum ImportError: Error, CustomStringConvertible {
        case tenantConflict(file: String, rows: [TenantID], given: TenantID?)
        case tenantUnknown(file: String, known: [TenantID])
        case emptyWithoutComplete(file: String)
        case takenInFuture(Date)

        public var description: String {
            switch self {
            case .tenantConflict(let file, let rows, let given?):
                return "\(file): rows belong to tenant \(rows.map(\.description).joined(separator: ", ")), "
                    + "not --tenant \(given): refusing to mix tenants"
            case .tenantConflict(let file, let rows, nil):
                return "\(file): rows belong to several tenants (\(rows.map(\.description).joined(separator: ", "))): "
                    + "import one tenant's export at a time"
            case .tenantUnknown(let file, let known):
                let list = known.isEmpty ? "the database holds none yet" : "known: " + known.map(\.description).joined(separator: ", ")
                return "\(file): the rows do not name their tenant (OrganizationId is not a tenant GUID); "
                    + "pass --tenant ID (\(list))"
            case .emptyWithoutComplete(let file):
                return "\(file): the export holds no rows. If it is a filtered export of a tenant where no account is "
                    + "bypassed, import it with --complete; otherwise the export failed"
            case .takenInFuture(let date):
                return "--taken-at \(UTCTimestamp.format(date)) is in the future"
            }
        }
    }

    /// Reads the file at `path` and imports it.
    public static func importFile(at path: String, into database: AuditDatabase, options: Options) throws -> Result {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try database.write { db in try importData(data, fileName: path, db, options: options) }
    }

    /// Imports an export's bytes inside the caller's write transaction: the snapshot, its rows and their ledger
    /// entries commit together.
    public static func importData(_ data: Data, fileName: String, _ db: Database, options: Options) throws -> Result {
        let sha256 = SHA256Digest.hex(of: data)
        if let existing = try SnapshotStore.snapshot(sha256: sha256, db) {
            return Result(
                snapshot: existing, alreadyImported: true, tenantSource: nil,
                possiblyFiltered: !existing.complete, skipped: [], indeterminate: [], discrepancies: [])
        }
        let file = try SnapshotFile(data: data, fileName: fileName)
        let (tenant, tenantSource) = try tenant(of: file.rows, fileName: fileName, given: options.tenant, db)
        let now = truncatedToMilliseconds(options.now)
        let takenAt = truncatedToMilliseconds(options.takenAt ?? now)
        // A little clock skew between the admin's machine and this one is normal.
        guard takenAt <= now.addingTimeInterval(300) else { throw ImportError.takenInFuture(takenAt) }
        let hasFalseRow = file.rows.contains { $0.bypassEnabled == false }
        guard !file.rows.isEmpty || options.complete else { throw ImportError.emptyWithoutComplete(file: fileName) }
        // Rows that could not be read might be any account: absence from such a file proves nothing.
        let complete = (options.complete || hasFalseRow) && file.skipped.isEmpty
        let stored = try SnapshotStore.insert(
            db,
            summary: SnapshotSummary(
                id: 0, tenant: tenant, takenAt: takenAt, takenAtGiven: options.takenAt != nil, fileName: fileName,
                sha256: sha256, rows: file.rows.count, complete: complete, completeGiven: options.complete,
                importedAt: now, format: file.format.rawValue,
                bypassedRows: file.rows.filter { $0.bypassEnabled == true }.count,
                notBypassedRows: file.rows.filter { $0.bypassEnabled == false }.count,
                indeterminateRows: file.rows.filter { $0.bypassEnabled == nil }.count),
            rows: file.rows)
        let indeterminate = file.rows.filter { $0.bypassEnabled == nil }.map { row in
            SnapshotProblem(
                file: fileName, line: row.line, row: row.row,
                reason: "\(row.label): AuditBypassEnabled "
                    + (row.auditBypassEnabled.map { "'\($0)' is not True or False" } ?? "is missing")
                    + "; the row is kept as indeterminate")
        }
        let view = try InventoryBuilder.view(db, tenant: tenant, asOf: takenAt)
        return Result(
            snapshot: stored, alreadyImported: false, tenantSource: tenantSource, possiblyFiltered: !complete,
            skipped: file.skipped, indeterminate: indeterminate,
            discrepancies: view.discrepancies.filter { $0.snapshotID == stored.id && $0.kind != .indeterminateRow })
    }

    private static func tenant(of rows: [SnapshotRow], fileName: String, given: TenantID?, _ db: Database) throws
        -> (TenantID, TenantSource)
    {
        let rowTenants = Set(rows.compactMap(\.tenant)).sorted()
        if let given {
            guard rowTenants.allSatisfy({ $0 == given }) else {
                throw ImportError.tenantConflict(file: fileName, rows: rowTenants, given: given)
            }
            return (given, .given)
        }
        if rowTenants.count == 1 { return (rowTenants[0], .rows) }
        if rowTenants.count > 1 { throw ImportError.tenantConflict(file: fileName, rows: rowTenants, given: nil) }
        let known = Set(try InventoryBuilder.tenants(db) + EventStore.tenants(db)).sorted()
        if known.count == 1 { return (known[0], .onlyTenantInDatabase) }
        throw ImportError.tenantUnknown(file: fileName, known: known)
    }

    /// The instant as the store will give it back (millisecond text), so the ledger content written now is the
    /// content `verify` rebuilds later.
    private static func truncatedToMilliseconds(_ date: Date) -> Date {
        UTCTimestamp.parse(UTCTimestamp.format(date)) ?? date
    }
}
