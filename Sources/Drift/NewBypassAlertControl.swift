import Core
import Detection
import Inventory
import Foundation

/// FP-5 *New bypass associations raise alerts* (see `ControlEvaluator` for its rules). It reads every change and
/// alert of the period rather than the findings, so it is judged beside them, on a thread of its own.
struct NewBypassAlertControl {
    let context: DriftContext

    func control() -> Control {
        var verdict = ControlVerdict(.alertsOnNewBypass)
        let runs = context.inputs.detectionRuns
        let evaluatedThrough = runs.compactMap(\.evaluatedThrough).max()
        let newestEvent = newestEventInWindow()
        if runs.isEmpty {
            verdict.fail(reason: "Detection has never run on this database, so no bypass change raised an alert (run "
                + "`bypass-auditor detect`, or keep `bypass-auditor watch` running).")
        } else if let newestEvent, evaluatedThrough.map({ newestEvent > $0 }) ?? true {
            let through = evaluatedThrough.map { "only through \(RemediationText.time($0))" } ?? "no event yet"
            verdict.fail(reason: "Events of the period up to \(RemediationText.time(newestEvent)) are stored, but "
                + "detection has evaluated \(through): run `bypass-auditor detect` so new bypass changes raise alerts.")
        }
        if let evaluatedThrough {
            let silent = enablementsWithoutAlert(evaluatedThrough: evaluatedThrough)
            if !silent.isEmpty {
                verdict.fail(reason: "\(RemediationText.plural(silent.count, "bypass enablement")) in the period "
                    + "raised no bypass-change alert although detection evaluated \(silent.count == 1 ? "it" : "them") "
                    + "(\(RemediationText.firstFew(silent.map(\.eventID)))): check that the bypass rule is present and enabled.")
            }
        }
        // Counted, with the first few ids kept for the reason: the untriaged alerts, or even their ids, were a
        // month's alerts copied (82 MB of a drift run's peak at 200,000 as alerts, 3 MB as ids).
        var untriagedCount = 0
        var firstUntriaged: [String] = []
        for alert in context.alerts
        where (alert.signal == .bypassChange || alert.signal == .bypassFailedAttempt) && !alert.triaged {
            if firstUntriaged.count < RemediationText.firstFewLimit { firstUntriaged.append(String(alert.id)) }
            untriagedCount += 1
        }
        if untriagedCount > 0 {
            verdict.warn(reason: "\(RemediationText.plural(untriagedCount, "bypass alert")) of the period "
                + "\(untriagedCount == 1 ? "is" : "are") not triaged "
                + "(\(RemediationText.firstFew(firstUntriaged, of: untriagedCount))): "
                + "review and acknowledge with `bypass-auditor alerts ack`.")
        }
        let passing: String
        if let evaluatedThrough {
            passing = "Detection evaluated every event of the period (through \(RemediationText.time(evaluatedThrough))); "
                + "every bypass enablement raised an alert and every bypass alert is triaged."
        } else {
            passing = "Detection has run and the period holds no event to evaluate."
        }
        return verdict.control(passing: passing)
    }

    /// The newest event time of the period known from the inputs: the store's answer, or the inventory's records.
    private func newestEventInWindow() -> Date? {
        var newest: Date?
        func consider(_ time: Date) {
            if context.inWindow(time), newest.map({ time > $0 }) ?? true { newest = time }
        }
        context.inputs.latestEventTime.map(consider)
        for account in context.inventory.accounts {
            for change in account.changes { consider(change.time) }
            for attempt in account.attempts { consider(attempt.time) }
        }
        for change in context.inventory.indeterminateChanges { consider(change.time) }
        for alert in context.alerts { consider(alert.eventTime) }
        return newest
    }

    private func enablementsWithoutAlert(evaluatedThrough: Date) -> [BypassChange] {
        context.inventory.accounts.flatMap { account in
            account.changes.filter { change in
                (change.kind == .enabled || change.kind == .reenabled) && context.inWindow(change.time)
                    && change.time <= evaluatedThrough
                    && !context.alertsByEventID.contains(eventID: change.eventID) { $0.signal == .bypassChange }
            }
        }
        .sorted { ($0.time, $0.eventID) < ($1.time, $1.eventID) }
    }
}
