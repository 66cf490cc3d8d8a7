import Core
import Detection
import Inventory
import Foundation

/// FP-5 *New bypass associations raise alerts* (see `ControlEvaluator` for its rules). It reads every change of the
/// period and the store's tally of its alerts rather than the findings, so it is judged beside them, on a thread of
/// its own.
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
        // Counted where the alerts are stored (`BypassAlertTally`), with the first few ids for the reason.
        let tally = context.inputs.alerts.tally
        let untriagedCount = tally.untriagedCount
        let firstUntriaged = tally.firstUntriagedIDs.map { String($0) }
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
        context.inputs.alerts.tally.newestEventTime.map(consider)
        return newest
    }

    private func enablementsWithoutAlert(evaluatedThrough: Date) -> [BypassChange] {
        context.inventory.accounts.flatMap { account in
            account.changes.filter { change in
                (change.kind == .enabled || change.kind == .reenabled) && context.inWindow(change.time)
                    && change.time <= evaluatedThrough
                    && !context.inputs.alerts.tally.alertedEvents.contains(EventKey(change.eventID))
            }
        }
        .sorted { ($0.time, $0.eventID) < ($1.time, $1.eventID) }
    }
}
