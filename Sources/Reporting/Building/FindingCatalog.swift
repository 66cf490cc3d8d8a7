import Drift

/// What the report says about each finding kind: a short statement of what is wrong and where it is referenced.
enum FindingCatalog {
    static func title(of kind: FindingKind) -> String {
        switch kind {
        case .unapprovedBypass: "Bypass without a written exception"
        case .expiredApproval: "Bypass on an expired approval"
        case .expiringSoon: "Approval expires soon"
        case .reviewOverdue: "Approval review overdue"
        case .incompleteApproval: "Approval lacks required details"
        case .staleAllowlistEntry: "Approved exception no longer used"
        case .unauthorizedActor: "Bypass changed by an admin outside authorized_admins"
        case .failedAttempt: "Failed bypass attempts"
        case .unexplainedBypass: "Bypass that no ingested event explains"
        case .snapshotMismatch: "Snapshot contradicts the logs"
        case .coverageGap: "Days without audit data"
        case .ambiguousIdentity: "Name resolves to more than one account or entry"
        case .indeterminateChange: "Bypass change that cannot be read"
        case .auditImpairment: "Audit trail impaired another way"
        }
    }

    /// Ids of `ComplianceCatalog` entries the kind relates to.
    static func references(of kind: FindingKind) -> [String] {
        typealias C = ComplianceCatalog
        switch kind {
        case .unapprovedBypass: return [C.cis, C.nistAU12, C.attackCloudLogs, C.attackTools, C.seedRule]
        case .expiredApproval: return [C.cis, C.nistAU2, C.seedRule]
        case .expiringSoon: return [C.cis]
        case .reviewOverdue: return [C.cis, C.nistAU2, C.seedRule]
        case .incompleteApproval: return [C.cis, C.nistAU2, C.seedRule]
        case .staleAllowlistEntry: return [C.nistAU2, C.seedRule]
        case .unauthorizedActor: return [C.attackCloudLogs, C.attackTools, C.nistAU12, C.seedRule]
        case .failedAttempt: return [C.attackCloudLogs, C.seedRule]
        case .unexplainedBypass: return [C.cis, C.nistAU12]
        case .snapshotMismatch: return [C.nistAU12]
        case .coverageGap: return [C.nistAU12, C.scuba]
        case .ambiguousIdentity: return [C.cis]
        case .indeterminateChange: return [C.nistAU12]
        case .auditImpairment: return [C.scuba, C.attackCloudLogs, C.nistAU12]
        }
    }

    /// Order within a severity: the kinds an admin must act on first.
    static func rank(of kind: FindingKind) -> Int {
        FindingKind.allCases.firstIndex(of: kind) ?? 0
    }
}
