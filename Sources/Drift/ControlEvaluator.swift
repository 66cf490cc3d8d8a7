import Inventory
import Policy
import Foundation

/// Turns the findings (and what detection and snapshots show) into the five controls of the seed rule's
/// "False positive analysis". A control fails when any fail rule holds, else warns when any warn rule holds, else
/// passes; its `findingIDs` are the findings behind the rules that decided its status (the failing ones when it
/// fails, the warning ones when it warns, none when it passes).
///
/// - FP-1 *Authorized third-party tools are documented.*
///   Fail: an `unapproved-bypass` (no written exception at all, so nothing documents it; one whose only entry is a
///   lawful-monitoring entry not yet approved counts under FP-2), or an `expired-approval` of a third-party-tool
///   entry (or one with no category). Warn: an `incomplete-approval` of such an entry.
/// - FP-2 *Lawful-monitoring accounts are documented and verified* (verified: `legal_basis` present and the
///   approval current). Fail: an `expired-approval` or not-yet-approved `unapproved-bypass` of a lawful-monitoring
///   entry, or a lawful-monitoring entry without `legal_basis`. Warn: a lawful-monitoring entry missing other
///   required fields. Passes when the register has no lawful-monitoring entry (nothing to verify).
/// - FP-3 *The bypass list is reviewed regularly and unneeded exemptions removed.*
///   Fail: `review-overdue`, `expired-approval`. Warn: `stale-allowlist-entry`, `expiring-soon`.
/// - FP-4 *Bypass associations are audited periodically for unauthorized changes.*
///   Fail: `coverage-gap` (part of the period has no data), `audit-impairment`, `unauthorized-actor`,
///   `snapshot-mismatch`, `unexplained-bypass`. Warn: no snapshot taken in the period (logs cannot be reconciled
///   with Exchange's own view), `authorized_admins` empty (unauthorized changes cannot be told apart),
///   `indeterminate-change`, `ambiguous-identity`, `failed-attempt`.
/// - FP-5 *New bypass associations raise alerts.*
///   Fail: detection has never run; events of the period are newer than what the latest run evaluated through
///   (`evaluatedThrough`), or no run says how far it evaluated; a bypass enablement in the period that detection
///   did evaluate raised no bypass-change alert (the rule is missing, disabled or altered). Warn: bypass alerts
///   (changes and failed attempts) of the period not triaged (`alerts ack`).
///
/// FP-5 does not depend on the findings: `NewBypassAlertControl` judges it beside them.
struct ControlEvaluator {
    let context: DriftContext
    /// The findings by kind, grouped once (each control asks for a few kinds).
    private let findingsByKind: [FindingKind: [Finding]]
    private let newBypassAlerts: Control

    init(context: DriftContext, findings: [Finding], newBypassAlerts: Control) {
        self.context = context
        findingsByKind = Dictionary(grouping: findings, by: \.kind)
        self.newBypassAlerts = newBypassAlerts
    }

    func controls() -> [Control] {
        [thirdPartyTools(), lawfulMonitoring(), regularReview(), periodicAudit(), newBypassAlerts]
    }

    private func entry(_ finding: Finding) -> AllowlistEntry? {
        finding.entryID.flatMap { context.entriesByID[$0] }
    }

    private func isLawful(_ finding: Finding) -> Bool { entry(finding)?.category == .lawfulMonitoring }

    private func ids(_ kind: FindingKind, where predicate: (Finding) -> Bool = { _ in true }) -> [String] {
        (findingsByKind[kind] ?? []).filter(predicate).map(\.id)
    }

    private func thirdPartyTools() -> Control {
        var verdict = ControlVerdict(.thirdPartyToolsDocumented)
        verdict.fail(
            ids(.unapprovedBypass) { !isLawful($0) },
            "Bypassed accounts with no approved written exception (nothing documents why they go unaudited)")
        verdict.fail(
            ids(.expiredApproval) { !isLawful($0) },
            "Third-party-tool approvals expired while the bypass is still on")
        verdict.warn(
            ids(.incompleteApproval) { !isLawful($0) },
            "Third-party-tool entries missing required fields (tool, owner, justification, approval, ticket or expiry)")
        let count = context.allowlist.entries.filter { $0.category != .lawfulMonitoring }.count
        return verdict.control(
            passing: "Every bypassed account has a current written exception, and all \(count) third-party-tool "
                + "entries are complete.")
    }

    private func lawfulMonitoring() -> Control {
        var verdict = ControlVerdict(.lawfulMonitoringDocumented)
        verdict.fail(
            ids(.expiredApproval, where: isLawful) + ids(.unapprovedBypass, where: isLawful),
            "Lawful-monitoring accounts bypassed without a current approval")
        verdict.fail(
            ids(.incompleteApproval) { isLawful($0) && entry($0)?.missingRequiredFields.contains("legal_basis") == true },
            "Lawful-monitoring entries without a legal_basis (the monitoring cannot be verified)")
        verdict.warn(
            ids(.incompleteApproval) { isLawful($0) && entry($0)?.missingRequiredFields.contains("legal_basis") == false },
            "Lawful-monitoring entries missing other required fields")
        let count = context.allowlist.entries.filter { $0.category == .lawfulMonitoring }.count
        return verdict.control(
            passing: count == 0
                ? "The register has no lawful-monitoring exemption, so there is nothing to verify."
                : "All \(count) lawful-monitoring entries state their legal basis and are complete and current.")
    }

    private func regularReview() -> Control {
        var verdict = ControlVerdict(.regularReview)
        verdict.fail(ids(.reviewOverdue), "Entries overdue for review (due every \(context.allowlist.reviewIntervalDays) days)")
        verdict.fail(ids(.expiredApproval), "Expired approvals of bypasses still in effect")
        verdict.warn(ids(.staleAllowlistEntry), "Entries for accounts without a bypass, which could be removed")
        verdict.warn(
            ids(.expiringSoon), "Approvals expiring within \(context.allowlist.expiryWarningDays) days")
        return verdict.control(
            passing: "All \(context.allowlist.entries.count) entries were reviewed within "
                + "\(context.allowlist.reviewIntervalDays) days, none has expired or expires soon, and each matches a "
                + "bypass in use.")
    }

    private func periodicAudit() -> Control {
        var verdict = ControlVerdict(.periodicAudit)
        verdict.fail(ids(.coverageGap), "Gaps in the period with no audit data, where changes could go unseen")
        verdict.fail(ids(.auditImpairment), "Other impairments of mailbox auditing in the period")
        verdict.fail(ids(.unauthorizedActor), "Bypass changes by someone outside authorized_admins")
        verdict.fail(ids(.unexplainedBypass), "Bypasses that no ingested record explains")
        verdict.fail(ids(.snapshotMismatch), "Accounts whose snapshot contradicts the log-derived state")
        if !context.inventory.snapshots.contains(where: { context.inWindow($0.takenAt) }) {
            verdict.warn(
                reason: "No snapshot was taken in the period, so the logs could not be reconciled with Exchange's own "
                    + "list (import `Get-MailboxAuditBypassAssociation -ResultSize Unlimited` output with "
                    + "`bypass-auditor snapshot import`).")
        }
        if !context.checksActors {
            verdict.warn(
                reason: "The register lists no authorized_admins, so changes by unauthorized actors cannot be told apart.")
        }
        verdict.warn(ids(.indeterminateChange), "Bypass records or snapshot rows whose effect could not be read")
        verdict.warn(ids(.ambiguousIdentity), "Names or entries that resolve to more than one account or entry")
        verdict.warn(ids(.failedAttempt), "Accounts with failed bypass attempts to investigate")
        return verdict.control(
            passing: "Every completed day of the period has audit data, a snapshot taken in the period reconciles with "
                + "the logs, and no unauthorized change or audit impairment was seen.")
    }
}

/// The controls' titles, as the seed's "False positive analysis" states each practice.
public enum ControlTitles {
    public static func title(of id: ControlID) -> String {
        switch id {
        case .thirdPartyToolsDocumented: "Authorized third-party tools are documented"
        case .lawfulMonitoringDocumented: "Lawful-monitoring accounts are documented and verified"
        case .regularReview: "The bypass list is reviewed regularly and unneeded exemptions removed"
        case .periodicAudit: "Bypass associations are audited periodically for unauthorized changes"
        case .alertsOnNewBypass: "New bypass associations raise alerts"
        }
    }
}
