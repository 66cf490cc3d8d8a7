import Core
import Store
import Foundation
import GRDB

/// Imports one `Get-MailboxAuditBypassAssociation` export as a dated snapshot.
public enum SnapshotImporter {
    public struct Options: Sendable {
        /// When the export was taken; nil means "now" (the import time), and the result says so.
        public var takenAt: Date?
        /// The tenant, for exports whose rows do not name it (Exchange Online writes OrganizationId as a path).
        public var tenant: TenantID?
        /// `--complete`: the admin asserts the export was run with `-ResultSize Unlimited` and no filter, so it
        /// lists every account that has a bypass association. Only this assertion makes a snapshot complete (rows
        /// with False prove nothing: a truncated export has them too). Even then absence never turns a logged bypass
        /// off; it disputes it.
        public var complete: Bool
        /// `--complete` for an export of exactly `resultSizeLimit` rows: the admin checked it was not truncated.
        public var completeDespiteResultSizeLimit: Bool
        /// The import time.
        public var now: Date

        public init(
            takenAt: Date? = nil, tenant: TenantID? = nil, complete: Bool = false,
            completeDespiteResultSizeLimit: Bool = false, now: Date = Date()
        ) {
            self.takenAt = takenAt
            self.tenant = tenant
            self.complete = complete
            self.completeDespiteResultSizeLimit = completeDespiteResultSizeLimit
            self.now = now
        }
    }

    /// What `Get-MailboxAuditBypassAssociation` returns at most without `-ResultSize Unlimited`: an export of exactly
    /// this many rows is probably cut off there.
    public static let resultSizeLimit = 1000

    /// Where the snapshot's time came from.
    public enum TakenAtSource: String, Sendable, Hashable, Codable {
        /// `--taken-at`.
        case given
        /// The file name `snapshot script` writes.
        case fileName = "file-name"
        /// Neither: the import time stands in (the snapshot may be dated wrongly).
        case importTime = "import-time"
    }

    /// Where the snapshot's tenant came from.
    public enum TenantSource: String, Sendable, Hashable, Codable {
        /// `--tenant`.
        case given
        /// The rows' `OrganizationId`.
        case rows
        /// Neither said; the database holds exactly one tenant.
        case onlyTenantInDatabase = "only-tenant-in-database"
        /// The file name `snapshot script` writes.
        case fileName = "file-name"
    }

    public struct Result: Sendable, Hashable, Codable {
        public var snapshot: SnapshotSummary
        /// True when a file with the same content was imported before: nothing new was stored.
        public var alreadyImported: Bool
        public var tenantSource: TenantSource?
        public var takenAtSource: TakenAtSource?
        /// Not complete (no `--complete`, or rows that could not be read): absence from it says nothing.
        public var possiblyFiltered: Bool
        /// Exactly `resultSizeLimit` rows: probably an export without `-ResultSize Unlimited`, cut off.
        public var probablyTruncated: Bool
        /// Rows naming an account another row of the file names too (each duplicate after the first).
        public var duplicates: [SnapshotProblem]
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
        case probablyTruncated(file: String, rows: Int)

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
            case .probablyTruncated(let file, let rows):
                return "\(file): --complete refused: the export has exactly \(rows) rows, the most "
                    + "Get-MailboxAuditBypassAssociation returns without -ResultSize Unlimited, so it is probably cut off. "
                    + "Re-export with `bypass-auditor snapshot script`, import it without --complete, or, if it was run "
                    + "with -ResultSize Unlimited and really holds \(rows) accounts, add --complete-despite-1000-rows"
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
                snapshot: existing, alreadyImported: true, tenantSource: nil, takenAtSource: nil,
                possiblyFiltered: !existing.complete, probablyTruncated: existing.rows == resultSizeLimit,
                duplicates: [], skipped: [], indeterminate: [], discrepancies: [])
        }
        let file = try SnapshotFile(data: data, fileName: fileName)
        let named = SnapshotExportScript.facts(fromFileName: fileName)
        let (tenant, tenantSource) = try tenant(
            of: file.rows, fileName: fileName, given: options.tenant, named: named?.tenant, db)
        let now = truncatedToMilliseconds(options.now)
        let takenAtSource: TakenAtSource =
            options.takenAt != nil ? .given : named != nil ? .fileName : .importTime
        let takenAt = truncatedToMilliseconds(options.takenAt ?? named?.takenAt ?? now)
        // A little clock skew between the admin's machine and this one is normal.
        guard takenAt <= now.addingTimeInterval(300) else { throw ImportError.takenInFuture(takenAt) }
        guard !file.rows.isEmpty || options.complete else { throw ImportError.emptyWithoutComplete(file: fileName) }
        let probablyTruncated = file.rows.count == resultSizeLimit
        if options.complete, probablyTruncated, !options.completeDespiteResultSizeLimit {
            throw ImportError.probablyTruncated(file: fileName, rows: file.rows.count)
        }
        // Only the admin's assertion makes an export complete; rows that could not be read might be any account.
        let complete = options.complete && file.skipped.isEmpty
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
            snapshot: stored, alreadyImported: false, tenantSource: tenantSource, takenAtSource: takenAtSource,
            possiblyFiltered: !complete, probablyTruncated: probablyTruncated,
            duplicates: duplicates(in: file.rows, fileName: fileName), skipped: file.skipped, indeterminate: indeterminate,
            discrepancies: view.discrepancies.filter { $0.snapshotID == stored.id && $0.kind != .indeterminateRow })
    }

    /// Rows that name an account an earlier row of the file names (by GUID, else by name): reported, never
    /// silently resolved in favour of one row (where they disagree, the inventory takes the bypassed one).
    private static func duplicates(in rows: [SnapshotRow], fileName: String) -> [SnapshotProblem] {
        var firstRowOf: [String: SnapshotRow] = [:]
        var result: [SnapshotProblem] = []
        for row in rows {
            let keys = row.guids.map { "guid:" + $0 } + [row.name].compactMap { $0 }.map { "name:" + AccountName.key(for: $0) }
            if let key = keys.first(where: { firstRowOf[$0] != nil }), let first = firstRowOf[key] {
                let states = [first, row].map { $0.auditBypassEnabled ?? "(missing)" }
                result.append(
                    SnapshotProblem(
                        file: fileName, line: row.line, row: row.row,
                        reason: "\(row.label): duplicate of row \(first.row) (AuditBypassEnabled \(states[0]) then "
                            + "\(states[1]))" + (states[0] == states[1] ? "" : "; they disagree, so the account is taken as bypassed")))
            }
            for key in keys where firstRowOf[key] == nil { firstRowOf[key] = row }
        }
        return result
    }

    private static func tenant(
        of rows: [SnapshotRow], fileName: String, given: TenantID?, named: TenantID?, _ db: Database
    ) throws -> (TenantID, TenantSource) {
        let rowTenants = Set(rows.compactMap(\.tenant)).sorted()
        if let given {
            guard rowTenants.allSatisfy({ $0 == given }), named.map({ $0 == given }) ?? true else {
                throw ImportError.tenantConflict(file: fileName, rows: rowTenants + [named].compactMap { $0 }, given: given)
            }
            return (given, .given)
        }
        if let named {
            guard rowTenants.allSatisfy({ $0 == named }) else {
                throw ImportError.tenantConflict(file: fileName, rows: rowTenants, given: named)
            }
            return (named, .fileName)
        }
        if rowTenants.count == 1 { return (rowTenants[0], .rows) }
        if rowTenants.count > 1 { throw ImportError.tenantConflict(file: fileName, rows: rowTenants, given: nil) }
        // The unknown tenant (records without OrganizationId) is never chosen for a snapshot by elimination.
        let known = Set(try InventoryBuilder.tenants(db) + EventStore.tenants(db)).filter { !$0.isUnknown }.sorted()
        if known.count == 1 { return (known[0], .onlyTenantInDatabase) }
        throw ImportError.tenantUnknown(file: fileName, known: known)
    }

    /// The instant as the store will give it back (millisecond text), so the ledger content written now is the
    /// content `verify` rebuilds later.
    private static func truncatedToMilliseconds(_ date: Date) -> Date {
        UTCTimestamp.parse(UTCTimestamp.format(date)) ?? date
    }
}
