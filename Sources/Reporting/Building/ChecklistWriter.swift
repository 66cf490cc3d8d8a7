import Detection
import Inventory
import Policy
import Foundation

/// Fills the seed rule's "Possible investigation steps" and "Response and remediation" for one account with what
/// the stored data already answers, and says plainly what a person still has to do.
struct ChecklistWriter {
    let context: ReportContext
    let activity: ActorActivity
    /// The report's alert rows by event, for the monitoring step.
    let alertsByEvent: AlertsByEvent<ReportAlert>
    let account: InventoryAccount
    let reason: InvestigationReason
    let entry: AllowlistEntry?
    let window: BlindWindow?
    let findingIDs: [String]

    /// How many items a sentence lists before "and N more".
    private let listLimit = 5

    func items() -> [ChecklistItem] {
        [
            confirmEvent(), identifyActor(), outcomeAndAttempts(), history(), crossReference(), impact(),
            isolate(), revoke(), auditWindow(), resetCredentials(), notify(), monitoring(), escalate(),
        ]
    }

    // MARK: Investigation

    private func confirmEvent() -> ChecklistItem {
        let step = "Confirm the Set-MailboxAuditBypassAssociation event in the Exchange audit log (event.dataset o365.audit, event.provider Exchange)."
        if let eventID = window?.openedByEventID, let change = account.changes.first(where: { $0.eventID == eventID }) {
            let identity = change.identity.map { " on Identity \($0)" } ?? ""
            let ip = change.clientIP.map { " from \($0)" } ?? ""
            return investigate(1, step, .answered, "Event \(eventID) at \(ReportFormatting.shortTime(change.time)) enabled the bypass\(identity)\(ip).")
        }
        if let start = window?.start {
            return investigate(
                1, step, .partial,
                "No ingested event enabled it; a snapshot shows the bypass at \(ReportFormatting.shortTime(start)) at the latest. Search the unified audit log before that time for the enabling record.")
        }
        return investigate(1, step, .open, "No ingested event or snapshot dates the bypass: search the unified audit log for it.")
    }

    private func identifyActor() -> ChecklistItem {
        let step = "Identify who made the change and whether that account may create audit bypass associations."
        guard let actor = window?.openedBy else {
            return investigate(2, step, .open, "No ingested event names who set the bypass.")
        }
        switch window?.openedByAuthorized {
        case true: return investigate(2, step, .answered, "Set by \(actor), who is in the register's authorized_admins.")
        case false: return investigate(2, step, .answered, "Set by \(actor), who is NOT in the register's authorized_admins.")
        case nil:
            return investigate(
                2, step, .partial, "Set by \(actor). The register lists no authorized_admins, so whether \(actor) may make this change is not checked.")
        }
    }

    private func outcomeAndAttempts() -> ChecklistItem {
        let step = "Check the outcome and look for related failed attempts that suggest trial and error."
        let failedHere = account.attempts.filter { context.isInPeriod($0.time) }.sorted { $0.time < $1.time }
        var sentences: [String] = []
        if window?.openedByEventID != nil { sentences.append("The enabling change succeeded.") }
        if failedHere.isEmpty {
            sentences.append("No failed attempt on this account in the period.")
        } else {
            let listed = failedHere.prefix(listLimit).map { attempt in
                "\(ReportFormatting.shortTime(attempt.time)) by \(attempt.actor ?? "an unknown actor")\(attempt.clientIP.map { " from \($0)" } ?? "")"
            }
            sentences.append(
                "\(ReportFormatting.count(failedHere.count, "failed attempt")) on this account in the period: \(more(listed, total: failedHere.count)).")
        }
        if let actor = window?.openedBy {
            let failedByActor = activity.failedCountByActor[context.actorKey(actor)] ?? 0
            if failedByActor > 0 {
                sentences.append("\(actor) made \(ReportFormatting.count(failedByActor, "failed bypass attempt")) in the period (Exchange hides the cmdlet from accounts without the role, so a failure comes from a role holder).")
            }
        }
        return investigate(3, step, window?.openedByEventID != nil ? .answered : .partial, sentences.joined(separator: " "))
    }

    private func history() -> ChecklistItem {
        let step = "Investigate the history of the accounts involved: recent permission changes, unusual sign-ins or locations."
        let changes = account.changes.sorted { $0.time < $1.time }
        var sentences: [String] = []
        if changes.isEmpty {
            sentences.append("No ingested bypass change for this account.")
        } else {
            let listed = changes.suffix(listLimit).map { change in
                "\(change.kind.rawValue) \(ReportFormatting.shortTime(change.time)) by \(change.actor ?? "unknown")"
            }
            let prefix = changes.count > listLimit ? "latest \(listLimit) of \(changes.count): " : ""
            sentences.append("Bypass history of this account (\(prefix)\(listed.joined(separator: "; "))).")
        }
        if let actor = window?.openedBy {
            let touched = activity.accountsByActor[context.actorKey(actor)] ?? []
            let touchedThis = activity.accountSetByActor[context.actorKey(actor)]?.contains(account.id.key) ?? false
            let othersCount = touched.count - (touchedThis ? 1 : 0)
            if othersCount > 0 {
                let others = touched.lazy.filter { $0 != account.id.key }.prefix(listLimit)
                let names = others.map(context.displayName(ofAccount:))
                sentences.append("In the period \(actor) also changed the bypass of \(ReportFormatting.count(othersCount, "other account")): \(more(Array(names), total: othersCount)).")
            }
            sentences.append("Sign-in and role-assignment history are not in this tool's data: check the Entra ID sign-in and audit logs for \(actor) and \(account.displayName).")
        } else {
            sentences.append("Sign-in and role-assignment history are not in this tool's data: check the Entra ID sign-in and audit logs for \(account.displayName).")
        }
        return investigate(4, step, .partial, sentences.joined(separator: " "))
    }

    private func crossReference() -> ChecklistItem {
        let step = "Cross-reference the account with known third-party tools and lawful-monitoring accounts."
        guard let entry else {
            let names = account.names.prefix(listLimit)
            return investigate(
                5, step, .answered,
                "No register entry names \(account.displayName) or any of its names (\(more(Array(names), total: account.names.count))): it is not a documented tool or lawful-monitoring account.")
        }
        var what = entry.category?.rawValue ?? "uncategorised"
        if let tool = entry.tool, !tool.isEmpty { what += ", tool \(tool)" }
        if let basis = entry.legalBasis, !basis.isEmpty { what += ", legal basis \(basis)" }
        guard let expires = entry.expiresOn else {
            return investigate(5, step, .answered, "Register entry \(entry.id) (\(what)) names this account.")
        }
        let days = expires.distance(to: context.asOfDay)
        return investigate(
            5, step, .answered,
            "Register entry \(entry.id) (\(what)) approved it until \(expires); the approval lapsed \(ReportFormatting.count(days, "day")) before as-of. Renew it (allowlist renew) if the exception is still needed, else remove the bypass.")
    }

    private func impact() -> ChecklistItem {
        let step = "Assess the risk: which mailbox activity was not audited, and for how long."
        guard let window else { return investigate(6, step, .open, nil) }
        let start = window.start.map { (window.startIsUpperBound ? "at the latest " : "") + ReportFormatting.shortTime($0) }
            ?? "before the earliest ingested data"
        let length = window.durationSeconds.map { ReportFormatting.duration(seconds: $0) }
        let span: String
        if let end = window.end {
            span = "was audited from \(start) until \(ReportFormatting.shortTime(end))\(length.map { " (\($0))" } ?? "")"
        } else {
            span = "has been audited since \(start)\(length.map { " (\($0) up to as-of)" } ?? ""), and the bypass is still in place"
        }
        return investigate(
            6, step, .partial,
            "Nothing \(account.displayName) did in the mailboxes it can open \(span). Weigh which mailboxes it has access to against the organisation's policies.")
    }

    // MARK: Response

    private func isolate() -> ChecklistItem {
        respond(
            1, "Isolate the account that was exempted and the account that set the bypass, to stop further unaudited actions.", .open,
            "Target: \(account.displayName). Actor: \(window?.openedBy ?? "unknown (no event)").")
    }

    private func revoke() -> ChecklistItem {
        let step = "Revoke the unauthorized audit bypass association so all activity is logged again."
        if account.bypassEnabled {
            return respond(2, step, .partial, "remediation.ps1 in this report's folder removes it (Identity \(account.exchangeName)); review and run it.")
        }
        let by = window?.closedBy.map { " by \($0)" } ?? ""
        let event = window?.closedByEventID.map { " (event \($0))" } ?? ""
        return respond(2, step, .answered, "Already removed\(window?.end.map { " at \(ReportFormatting.shortTime($0))" } ?? "")\(by)\(event).")
    }

    private func auditWindow() -> ChecklistItem {
        let span: String
        if let window {
            let start = window.start.map(ReportFormatting.shortTime) ?? "before the earliest ingested data"
            span = "From \(start) to \(window.end.map(ReportFormatting.shortTime) ?? "as-of"). "
        } else {
            span = ""
        }
        return respond(
            3, "Audit the recent activity of the affected accounts to find actions the bypass concealed.", .open,
            "\(span)The mailbox audit log holds nothing for this account in that window: use sign-in logs, message trace and the unified audit log's other workloads.")
    }

    private func resetCredentials() -> ChecklistItem {
        let people = [window?.openedBy, account.displayName].compactMap { $0 }
        return respond(
            4, "Reset the credentials of the compromised accounts: the actor as well as the target.", .open,
            "Reset: \(ReportFormatting.list(people)).")
    }

    private func notify() -> ChecklistItem {
        respond(
            5, "Notify the security team and stakeholders.", .open,
            findingIDs.isEmpty ? nil : "Cite finding \(ReportFormatting.list(findingIDs.prefix(3).map { $0 })).")
    }

    private func monitoring() -> ChecklistItem {
        let step = "Add monitoring for similar bypass attempts."
        let eventIDs = Set((account.changes + account.attempts).filter { context.isInPeriod($0.time) }.map(\.eventID))
        let alerts = eventIDs.flatMap { alertsByEvent[eventID: $0] ?? [] }.sorted { $0.id < $1.id }
        if eventIDs.isEmpty {
            let since = window?.start.map { " (enabled \(ReportFormatting.shortTime($0)))" } ?? ""
            return respond(
                6, step, .partial,
                "The bypass predates the period\(since): no bypass record of this account falls in the period to alert on. Check that the detection rules cover new bypass associations (control FP-5).")
        }
        if alerts.isEmpty {
            let fp5 = context.inputs.drift.controls.first { $0.id == .alertsOnNewBypass }?.status.rawValue ?? "not evaluated"
            return respond(
                6, step, .partial,
                "No alert was raised for this account's bypass records in the period (control FP-5: \(fp5)): check that detection ran over the period.")
        }
        let listed = alerts.prefix(listLimit).map { alert in
            "#\(alert.id) \(alert.ruleName) (\(alert.triagedBy.map { "acknowledged by \($0)" } ?? "open"))"
        }
        return respond(6, step, .answered, "Alerts raised: \(more(listed, total: alerts.count)).")
    }

    private func escalate() -> ChecklistItem {
        let step = "Escalate to a higher tier or outside experts if the scope is extensive."
        guard let actor = window?.openedBy else { return respond(7, step, .open, nil) }
        let touched = activity.accountsByActor[context.actorKey(actor)]?.count ?? 0
        guard touched >= 3 else { return respond(7, step, .open, nil) }
        return respond(7, step, .open, "\(actor) changed the bypass of \(touched) accounts in the period: the scope may be wide.")
    }

    // MARK: Helpers

    private func investigate(_ number: Int, _ step: String, _ state: ChecklistState, _ answer: String?) -> ChecklistItem {
        ChecklistItem(id: "investigate-\(number)", phase: .investigation, step: step, state: state, answer: answer)
    }

    private func respond(_ number: Int, _ step: String, _ state: ChecklistState, _ answer: String?) -> ChecklistItem {
        ChecklistItem(id: "respond-\(number)", phase: .response, step: step, state: state, answer: answer)
    }

    private func more(_ listed: [String], total: Int) -> String {
        let text = listed.joined(separator: ", ")
        return total > listed.count ? text + " and \(total - listed.count) more" : text
    }
}
