import Core
import Foundation
import GRDB

/// One stored report run as `report list` shows it: which revision of which period, where its folder is, the digest
/// that pins its files, and why it was made or withdrawn.
public struct ReportRevision: Sendable, Hashable, Codable {
    public var reportID: String
    public var tenant: TenantID
    public var period: String
    public var revision: Int
    public var state: ReportRunState
    public var generatedAt: Date
    public var asOf: Date
    /// The folder as the run was given it (`Reports/2026-10`).
    public var folder: String
    /// Where the folder is now (absolute; a replaced revision's is in `<period>.replaced/`). Absent for runs stored
    /// before the tool kept it.
    public var location: String?
    /// SHA-256 of the folder's `SHA256SUMS`. Absent for runs stored before the tool kept it.
    public var manifestSHA256: String?
    public var reason: String?
    public var madeBy: String?
    /// The revision this run withdrew (`--force`).
    public var replacesRevision: Int?
    /// Replaced runs: the report id of the run that withdrew it, and when.
    public var replacedBy: String?
    public var replacedAt: Date?
    public var verdict: Verdict
    public var findingsBySeverity: SeverityCounts
    public var bypassedAccounts: Int
    /// With `report list --verify`: the folder checked against `manifestSHA256`.
    public var check: FolderCheck?

    /// The outcome of checking a revision's folder.
    public struct FolderCheck: Sendable, Hashable, Codable {
        public var status: FolderStatus
        public var problems: [String]

        public init(status: FolderStatus, problems: [String] = []) {
            self.status = status
            self.problems = problems
        }
    }

    /// What checking a folder found.
    public enum FolderStatus: String, Sendable, Hashable, Codable {
        /// Every file matches the manifest the run recorded.
        case verified
        /// Files differ from that manifest, are missing from it or were added.
        case modified
        /// The folder is not where the database says.
        case missing
        /// The run was stored before manifest digests were kept: nothing to check against.
        case notCheckable = "not-checkable"
    }

    enum CodingKeys: String, CodingKey {
        case reportID
        case tenant, period, revision, state, generatedAt, asOf, folder, location
        case manifestSHA256
        case reason, madeBy, replacesRevision, replacedBy, replacedAt, verdict, findingsBySeverity, bypassedAccounts, check
    }

    /// Checks the folder at `location` (or `folder`) against the stored manifest digest.
    public func checkingFolder() -> ReportRevision {
        var copy = self
        guard let manifestSHA256 else {
            copy.check = FolderCheck(status: .notCheckable, problems: ["no manifest digest stored for this run"])
            return copy
        }
        let url = URL(fileURLWithPath: location ?? folder)
        guard FileManager.default.fileExists(atPath: url.path) else {
            copy.check = FolderCheck(status: .missing, problems: ["\(url.path) does not exist"])
            return copy
        }
        switch ReportManifest.check(url, expected: manifestSHA256) {
        case .verified: copy.check = FolderCheck(status: .verified)
        case .failed(let problems): copy.check = FolderCheck(status: .modified, problems: problems)
        }
        return copy
    }
}

extension ReportHistory {
    /// Every stored run, by tenant, period (oldest first) and revision; `tenant` and `period` (a label) filter.
    public static func revisions(_ db: Database, tenant: TenantID? = nil, period: String? = nil) throws -> [ReportRevision] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let tenant {
            conditions.append("tenant = ?")
            arguments.append(tenant.rawValue)
        }
        if let period {
            conditions.append("period_label = ?")
            arguments.append(period)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM report_run \(filter) ORDER BY tenant, period_first_day, period_last_day, period_label, revision, id",
            arguments: StatementArguments(arguments))
        return try rows.map { row in
            let runID: Int64 = row["id"]
            let label: String = row["period_label"]
            guard let asOf = UTCTimestamp.parse(row["as_of"]), let generatedAt = UTCTimestamp.parse(row["generated_at"]),
                let state = ReportRunState(rawValue: row["state"])
            else { throw ReportHistoryError.corruptRun(runID: runID, period: label) }
            return ReportRevision(
                reportID: row["report_id"], tenant: TenantID(row["tenant"] as String), period: label, revision: row["revision"],
                state: state, generatedAt: generatedAt, asOf: asOf, folder: row["folder"], location: row["location"],
                manifestSHA256: row["manifest_sha256"], reason: row["reason"], madeBy: row["made_by"],
                replacesRevision: row["replaces_revision"], replacedBy: row["replaced_by"],
                replacedAt: (row["replaced_at"] as String?).flatMap(UTCTimestamp.parse),
                verdict: Verdict(rawValue: row["verdict"]) ?? .actionRequired,
                findingsBySeverity: SeverityCounts(
                    critical: row["findings_critical"], high: row["findings_high"], medium: row["findings_medium"],
                    low: row["findings_low"], info: row["findings_info"]),
                bypassedAccounts: row["bypassed_accounts"], check: nil)
        }
    }
}
