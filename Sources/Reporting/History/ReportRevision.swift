import Core
import Foundation
import GRDB
import Store

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
        try ReportRunStore.runs(db, tenant: tenant, periodLabel: period).map { run in
            ReportRevision(
                reportID: run.reportID, tenant: run.tenant, period: run.periodLabel, revision: run.revision,
                state: run.state, generatedAt: run.generatedAt, asOf: run.asOf, folder: run.folder,
                location: run.location, manifestSHA256: run.manifestSHA256, reason: run.reason, madeBy: run.madeBy,
                replacesRevision: run.replacesRevision, replacedBy: run.replacedBy, replacedAt: run.replacedAt,
                verdict: try verdict(of: run), findingsBySeverity: severityCounts(of: run),
                bypassedAccounts: run.bypassedAccounts, check: nil)
        }
    }
}
