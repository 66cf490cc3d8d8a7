import Core
import Reading
import Foundation

/// Plain-text renderings of alerts and runs for the terminal. Every value that came from a log is made inert first:
/// an actor or account name holding terminal escape sequences must not be able to rewrite the analyst's screen.
public enum AlertText {
    /// `text` made inert for a terminal (`TerminalText`, the one sanitiser).
    public static func inert(_ text: String) -> String { TerminalText.safe(text) }

    /// Two or three lines for one alert.
    public static func describe(_ alert: Alert, isNew: Bool? = nil) -> String {
        var head = ""
        if let isNew { head += isNew ? "NEW " : "    " }
        head += "#\(alert.id)  \(alert.severity.rawValue.uppercased())  \(UTCTimestamp.format(alert.eventTime))  "
        head += inert(alert.ruleName)
        if let triage = alert.triage {
            head += "  [triaged by \(inert(triage.by)) \(UTCTimestamp.format(triage.at))]"
        }
        var details: [String] = []
        details.append("actor \(alert.actor.map(inert) ?? "(unknown)")")
        details.append("target \(alert.target.map(inert) ?? alert.objectID.map(inert) ?? "(unknown)")")
        details.append("outcome \(alert.outcome.rawValue)")
        details.append("tenant \(inert(alert.tenant.description))")
        details.append("event \(inert(alert.eventID))")
        var lines = [head, "      " + details.joined(separator: " · ")]
        if DerivedEventID.isDerived(alert.eventID) {
            lines.append("      the record carried no Id: its id was derived from its content (SHA-256 of the record)")
        }
        if let explanation = alert.directionExplanation {
            lines.append("      " + inert(explanation))
        }
        return lines.joined(separator: "\n")
    }

    /// The run in one line, then one line per rule that held alerts back or deferred events.
    public static func describe(_ result: DetectionRunResult) -> String {
        let summary = result.summary
        var lines: [String] = []
        var head = "Detection run #\(summary.id) (\(summary.mode.rawValue), now \(UTCTimestamp.format(summary.now))): "
        head += "\(summary.eventsEvaluated) event\(summary.eventsEvaluated == 1 ? "" : "s") evaluated, "
        head += "\(summary.alertsRaised) new alert\(summary.alertsRaised == 1 ? "" : "s")"
        if summary.heldBack > 0 { head += ", \(summary.heldBack) held back" }
        if summary.deferred > 0 { head += ", \(summary.deferred) deferred" }
        lines.append(head + ".")
        if let through = summary.evaluatedThrough {
            lines.append("Every stored event up to \(UTCTimestamp.format(through)) has been evaluated by every rule.")
        }
        for rule in result.rules {
            if rule.heldBack > 0 {
                lines.append(
                    "Held back: \"\(inert(rule.ruleName))\" reached max_signals (\(rule.maxSignals)); "
                        + "\(rule.heldBack) more alert\(rule.heldBack == 1 ? "" : "s") will be raised by the next run.")
            }
            if rule.deferred > 0 {
                lines.append(
                    "Deferred: \"\(inert(rule.ruleName))\" has \(rule.deferred) event\(rule.deferred == 1 ? "" : "s") "
                        + "outside its look-back window; a later run (or `detect`) evaluates them.")
            }
            if rule.restartedForChangedQuery {
                lines.append("Re-evaluated: \"\(inert(rule.ruleName))\" has a new query, so it re-read every stored event.")
            }
        }
        return lines.joined(separator: "\n")
    }
}
