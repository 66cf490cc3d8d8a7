import Core
import Drift

/// The framework controls and techniques the report maps to, and how this run's findings and controls decide them.
enum ComplianceCatalog {
    static let cis = "cis-m365-6-1-3"
    static let scuba = "cisa-scuba-ms-exo-13-1v1"
    static let nistAU2 = "nist-800-53-au-2"
    static let nistAU12 = "nist-800-53-au-12"
    static let attackTools = "mitre-attack-t1562-001"
    static let attackCloudLogs = "mitre-attack-t1562-008"
    static let seedRule = "elastic-o365-mailbox-audit-logging-bypass"

    /// What decides the statuses: the findings and controls of this run, and the accounts' approval states.
    struct Facts {
        var findings: [ReportFinding]
        var controls: [ReportControl]
        var violations: [ReportAccount]
        var enablesInPeriod: Int
        var unauthorizedEnablesInPeriod: Int
        var daysWithoutData: Int
    }

    static func mappings(_ facts: Facts) -> [ComplianceMapping] {
        func ids(_ kinds: Set<FindingKind>, minimum: Severity = .info) -> [String] {
            // By index: `filter` copied each finding whole (tens of thousands at scale) to test two fields.
            var ids: [String] = []
            for index in facts.findings.indices
            where kinds.contains(facts.findings[index].kind) && facts.findings[index].severity >= minimum {
                ids.append(facts.findings[index].id)
            }
            return ids
        }
        func status(of control: ControlID) -> ControlStatus? {
            facts.controls.first { $0.id == control }?.status
        }
        func worst(_ statuses: [ControlStatus?]) -> ComplianceStatus {
            let known = statuses.compactMap { $0 }
            if known.contains(.fail) { return .fail }
            if known.contains(.warn) || known.count < statuses.count { return .warn }
            return .pass
        }

        // CIS 6.1.3: no bypass without a written exception.
        let violationFindings = ids([.unapprovedBypass, .expiredApproval])
        let cisStatus: ComplianceStatus = facts.violations.isEmpty && violationFindings.isEmpty ? .pass : .fail
        let cisBasis =
            cisStatus == .pass
            ? "Every bypassed account at as-of has a valid written exception in the register."
            : "\(ReportFormatting.count(facts.violations.count, "bypassed account")) without a valid written exception at as-of."

        // SCuBA 13.1: mailbox auditing must be on. This tool sees changes that turn it off, not the setting itself.
        let orgWide = ids([.auditImpairment], minimum: .critical)
        let otherImpairments = ids([.auditImpairment]).filter { !orgWide.contains($0) }
        let scubaStatus: ComplianceStatus =
            !orgWide.isEmpty ? .fail : (!otherImpairments.isEmpty || facts.daysWithoutData > 0 ? .warn : .pass)
        let scubaBasis: String
        switch scubaStatus {
        case .fail: scubaBasis = "Mailbox auditing or audit-log ingestion was turned off for the organisation in the period."
        case .warn where !otherImpairments.isEmpty:
            scubaBasis = "Per-mailbox auditing was reduced or disabled in the period (see the audit-impairment findings)."
        case .warn:
            scubaBasis = "No change turning auditing off was seen, but \(ReportFormatting.count(facts.daysWithoutData, "day")) of the period have no audit data, so that proves nothing for those days."
        default:
            scubaBasis = "No change turning mailbox auditing off was seen in the period's audit data (the setting itself is read by Get-OrganizationConfig, not by this tool)."
        }

        // AU-2: the events to log are decided and exceptions documented (FP-1..FP-3).
        let au2Status = worst([status(of: .thirdPartyToolsDocumented), status(of: .lawfulMonitoringDocumented), status(of: .regularReview)])
        // AU-12: records are generated for every account: each bypass is a hole, periodic audit is FP-4.
        let au12Status: ComplianceStatus = cisStatus == .fail || !orgWide.isEmpty ? .fail : worst([status(of: .periodicAudit)])

        return [
            ComplianceMapping(
                id: cis, framework: "CIS Microsoft 365 Foundations Benchmark v5.0.0", identifier: "6.1.3",
                title: "Ensure 'AuditBypassEnabled' is not enabled on mailboxes",
                relevance: "The benchmark allows a bypass only with a written exception; the register is that exception list and the inventory shows every bypass.",
                status: cisStatus, basis: cisBasis, findingIDs: violationFindings, controls: [.thirdPartyToolsDocumented, .lawfulMonitoringDocumented],
                url: "https://www.cisecurity.org/benchmark/microsoft_365"),
            ComplianceMapping(
                id: scuba, framework: "CISA SCuBA Exchange Online baseline", identifier: "MS.EXO.13.1v1",
                title: "Mailbox auditing SHALL be enabled",
                relevance: "A bypass disables mailbox auditing for one account; the detection rules also watch the organisation-wide switch.",
                status: scubaStatus, basis: scubaBasis, findingIDs: orgWide + otherImpairments, controls: [.periodicAudit],
                url: "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/exo.md"),
            ComplianceMapping(
                id: nistAU2, framework: "NIST SP 800-53 Rev. 5", identifier: "AU-2", title: "Event Logging",
                relevance: "Which mailbox events go unlogged is an organisational decision: each exception must be documented and reviewed.",
                status: au2Status, basis: "Follows controls FP-1, FP-2 and FP-3 (documented, verified and reviewed exceptions).",
                findingIDs: ids([.expiredApproval, .reviewOverdue, .incompleteApproval, .staleAllowlistEntry]),
                controls: [.thirdPartyToolsDocumented, .lawfulMonitoringDocumented, .regularReview],
                url: "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final"),
            ComplianceMapping(
                id: nistAU12, framework: "NIST SP 800-53 Rev. 5", identifier: "AU-12", title: "Audit Record Generation",
                relevance: "A bypassed account generates no mailbox audit records; the history of bypass changes must itself be audited.",
                status: au12Status,
                basis: au12Status == .fail
                    ? "Audit records are not generated for accounts bypassed without an exception (or auditing was turned off)."
                    : "Follows control FP-4 (bypass associations audited periodically, with data coverage and no impairment).",
                findingIDs: violationFindings + orgWide + ids([.coverageGap, .unexplainedBypass, .snapshotMismatch, .indeterminateChange]),
                controls: [.periodicAudit, .alertsOnNewBypass],
                url: "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final"),
            ComplianceMapping(
                id: attackTools, framework: "MITRE ATT&CK", identifier: "T1562.001",
                title: "Impair Defenses: Disable or Modify Tools",
                relevance: "The technique the seed rule maps to: a bypass switches off the audit tooling for an account.",
                status: .informational,
                basis: "\(ReportFormatting.count(facts.enablesInPeriod, "bypass enable")) in the period, \(facts.unauthorizedEnablesInPeriod) by actors outside authorized_admins.",
                findingIDs: ids([.unauthorizedActor, .unapprovedBypass]), controls: [.alertsOnNewBypass],
                url: "https://attack.mitre.org/techniques/T1562/001/"),
            ComplianceMapping(
                id: attackCloudLogs, framework: "MITRE ATT&CK", identifier: "T1562.008",
                title: "Impair Defenses: Disable or Modify Cloud Logs",
                relevance: "Mailbox audit bypass and turning off mailbox or unified audit logging hide activity from the cloud audit log.",
                status: .informational,
                basis: "\(ReportFormatting.count(facts.enablesInPeriod, "bypass enable")) and \(ReportFormatting.count(ids([.auditImpairment]).count, "audit-impairment finding")) in the period.",
                findingIDs: ids([.auditImpairment, .unauthorizedActor, .failedAttempt]), controls: [.alertsOnNewBypass],
                url: "https://attack.mitre.org/techniques/T1562/008/"),
            ComplianceMapping(
                id: seedRule, framework: "Elastic detection rule", identifier: "O365 Mailbox Audit Logging Bypass",
                title: "Detection rule whose investigation guide and false-positive practices this report applies",
                relevance: "Controls FP-1 to FP-5 are the rule's false-positive practices; the investigation checklists follow its guide.",
                status: .informational,
                basis: "Controls: \(facts.controls.map { "\($0.id.rawValue) \($0.status.rawValue)" }.joined(separator: ", ")).",
                findingIDs: [], controls: ControlID.allCases,
                url: "https://www.elastic.co/guide/en/security/current/o365-mailbox-audit-logging-bypass.html"),
        ]
    }
}
