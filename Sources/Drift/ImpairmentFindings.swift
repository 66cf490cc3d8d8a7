import Core
import Detection
import Foundation

/// `audit-impairment`: other ways of blinding the same audit trail that detection saw in the period.
///
/// One finding per impairment and target (per tenant for the organisation-wide ones), listing every alert behind
/// it, so a script that turns auditing off on 500 mailboxes gives 500 findings only when it hit 500 mailboxes.
struct ImpairmentFindings {
    let context: DriftContext

    /// The four impairments, most damaging first, with their finding severity.
    static func severity(of signal: DetectionSignal) -> Severity? {
        switch signal {
        case .organizationAuditDisabled, .unifiedAuditIngestionDisabled: .critical
        case .mailboxAuditActionsReduced: .high
        case .mailboxAuditDisabled: .medium
        case .bypassChange, .bypassFailedAttempt, .other: nil
        }
    }

    /// The signals that are impairments: the alerts a drift run reads whole.
    static let signals = Set(DetectionSignal.allCases.filter { severity(of: $0) != nil })

    private static func isOrganizationWide(_ signal: DetectionSignal) -> Bool {
        signal == .organizationAuditDisabled || signal == .unifiedAuditIngestionDisabled
    }

    func findings() -> [Finding] {
        var groups: [String: [Alert]] = [:]
        for alert in context.impairmentAlerts {
            groups[key(alert), default: []].append(alert)
        }
        return groups.keys.sorted().compactMap { key in groups[key].flatMap { finding(id: key, alerts: $0) } }
    }

    private func key(_ alert: Alert) -> String {
        let prefix = "\(FindingKind.auditImpairment.rawValue):\(alert.signal.rawValue)"
        if Self.isOrganizationWide(alert.signal) { return prefix }
        return "\(prefix):\(AccountName.key(for: alert.target ?? alert.objectID ?? "unknown"))"
    }

    private func finding(id: String, alerts: [Alert]) -> Finding? {
        guard let first = alerts.first, let fullSeverity = Self.severity(of: first.signal) else { return nil }
        let succeeded = alerts.filter { $0.outcome != .failure }
        let target = first.target ?? first.objectID
        let actors = Set(alerts.map { RemediationText.actor($0.actor) }).sorted().joined(separator: ", ")
        let times = alerts.map { RemediationText.time($0.eventTime) }
        let when = alerts.count == 1 ? "at \(times[0])" : "\(alerts.count) times between \(times[0]) and \(times[times.count - 1])"
        var detail: String
        var action: String
        switch first.signal {
        case .organizationAuditDisabled:
            detail = "Mailbox auditing was turned off for the whole organisation (Set-OrganizationConfig -AuditDisabled "
                + "$true) \(when) by \(actors): no mailbox in the tenant is audited while it stays off, which blinds the "
                + "same trail a bypass association does, for everyone."
            action = "Turn it back on at once (Set-OrganizationConfig -AuditDisabled $false), confirm with "
                + "Get-OrganizationConfig | Format-List AuditDisabled, and investigate \(actors) as a likely compromise: "
                + "isolate and reset their credentials and review what happened while auditing was off."
        case .unifiedAuditIngestionDisabled:
            detail = "Unified audit log ingestion was turned off (Set-AdminAuditLogConfig "
                + "-UnifiedAuditLogIngestionEnabled $false) \(when) by \(actors): no audit records, including bypass "
                + "changes, reach the log while it stays off."
            action = "Turn it back on at once (Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true), "
                + "confirm with Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled, and investigate "
                + "\(actors) as a likely compromise: isolate and reset their credentials."
        case .mailboxAuditActionsReduced:
            let name = target ?? "the mailbox"
            detail = "The audited actions of mailbox '\(name)' were reduced (Set-Mailbox AuditOwner/AuditDelegate/"
                + "AuditAdmin) \(when) by \(actors): actions removed from those lists are no longer logged for it, "
                + "a per-mailbox blind equivalent to a bypass."
            action = "Restore the default audited actions ("
                + RemediationText.command("Set-Mailbox", name, "-DefaultAuditSet Admin,Delegate,Owner")
                + "), confirm with " + RemediationText.command("Get-Mailbox", name, "| Format-List Audit*")
                + ", and ask \(actors) why it was changed."
        default:
            let name = target ?? "the mailbox"
            detail = "Auditing was turned off on mailbox '\(name)' (Set-Mailbox -AuditEnabled $false) \(when) by "
                + "\(actors). Exchange Online ignores it while organisation-wide auditing is on, but it shows intent to "
                + "hide activity in that mailbox."
            action = "Turn it back on (" + RemediationText.command("Set-Mailbox", name, "-AuditEnabled $true")
                + ") and ask \(actors) why it was changed; if nobody can explain it, reset their credentials."
        }
        var severity = fullSeverity
        if succeeded.isEmpty {
            severity = min(fullSeverity, .medium)
            detail += " Every attempt failed, so the setting did not change; the attempt itself comes from an account "
                + "holding the role."
        }
        return Finding(
            id: id, kind: .auditImpairment, severity: severity, tenant: context.tenant,
            account: Self.isOrganizationWide(first.signal) ? nil : target,
            names: Self.isOrganizationWide(first.signal) ? [] : target.map { [$0] } ?? [], entryID: nil,
            detail: detail,
            evidence: alerts.flatMap { alert in
                [
                    Evidence(kind: .alert, reference: String(alert.id), time: alert.raisedAt, note: alert.ruleName),
                    Evidence(
                        kind: .event, reference: alert.eventID, time: alert.eventTime,
                        note: "by \(RemediationText.actor(alert.actor))\(alert.outcome == .failure ? " (failed)" : "")"),
                ]
            },
            action: action)
    }
}
