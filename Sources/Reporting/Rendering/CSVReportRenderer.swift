import Core
import Drift
import Foundation

/// `inventory.csv`, `findings.csv`, `changes.csv` and `alerts.csv`: RFC 4180 (comma, CRLF, quotes doubled), UTF-8
/// starting with a byte-order mark (without one, Excel reads a CSV file as the ANSI code page and shows non-ASCII
/// account names garbled; every other reader of UTF-8 CSV skips it), one header row, every cell safe to open in a spreadsheet (a leading `= + - @`, tab or CR is
/// neutralised with `'`). They carry every row: HTML and Markdown cut long lists and point here.
///
/// Each table is written row by row into a `ReportTextSink`, so the report writer streams them to disk.
public enum CSVReportRenderer {
    public static let inventoryFileName = "inventory.csv"
    public static let findingsFileName = "findings.csv"
    public static let changesFileName = "changes.csv"
    public static let alertsFileName = "alerts.csv"
    public static let fileNames = [inventoryFileName, findingsFileName, changesFileName, alertsFileName]

    /// About how long each table takes to render at scale, in milliseconds (10,000 accounts, 200,000 changes and
    /// alerts): `ReportWriter` balances its two lanes by it.
    static let renderingCost = [inventoryFileName: 20, findingsFileName: 100, changesFileName: 250, alertsFileName: 300]

    /// U+FEFF, written first in every file: how Excel knows the file is UTF-8.
    public static let byteOrderMark = "\u{FEFF}"

    public static let inventoryColumns = [
        "account_key", "display_name", "exchange_name", "guid", "names", "status", "review_overdue", "review_due",
        "entry_id", "category", "tool", "legal_basis", "owner", "justification", "approved_by", "approved_on", "ticket",
        "last_reviewed_on", "expires_on", "missing_fields", "since", "since_is_upper_bound", "set_by",
        "set_by_authorized", "last_event_id", "source", "finding_ids",
    ]

    public static let findingColumns = [
        "id", "severity", "kind", "title", "account_key", "account", "names", "entry_id", "detail", "evidence", "action",
        "references", "controls", "since_last_report",
    ]

    public static let changeColumns = [
        "event_id", "time", "kind", "account_key", "account", "identity", "actor", "actor_authorized", "client_ip",
        "outcome", "direction", "original_status",
    ]

    public static let alertColumns = [
        "id", "rule_id", "rule_name", "severity", "signal", "event_id", "event_time", "actor", "target", "outcome",
        "direction", "raised_at", "triage_state", "triaged_by", "triaged_at", "triage_note",
    ]

    /// Renders the CSV file `fileName` (one of `fileNames`) into `sink`.
    public static func write<Sink: ReportTextSink>(_ fileName: String, of report: Report, to sink: inout Sink) {
        switch fileName {
        case inventoryFileName: inventory(report, to: &sink)
        case findingsFileName: findings(report, to: &sink)
        case changesFileName: changes(report, to: &sink)
        default: alerts(report, to: &sink)
        }
    }

    public static func inventory(_ report: Report) -> String { rendered { inventory(report, to: &$0) } }
    public static func findings(_ report: Report) -> String { rendered { findings(report, to: &$0) } }
    public static func changes(_ report: Report) -> String { rendered { changes(report, to: &$0) } }
    public static func alerts(_ report: Report) -> String { rendered { alerts(report, to: &$0) } }

    static func inventory<Sink: ReportTextSink>(_ report: Report, to sink: inout Sink) {
        sink.write(byteOrderMark + CSVEscaping.record(inventoryColumns))
        for account in report.inventory {
            sink.write(CSVEscaping.record([
                account.key, account.displayName, account.exchangeName, account.guid ?? "", list(account.names),
                account.status.rawValue, String(account.reviewOverdue), day(account.reviewDue), account.entryID ?? "",
                account.category?.rawValue ?? "", account.tool ?? "", account.legalBasis ?? "", account.owner ?? "",
                account.justification ?? "", account.approvedBy ?? "", day(account.approvedOn), account.ticket ?? "",
                day(account.lastReviewedOn), day(account.expiresOn), list(account.missingFields), time(account.since),
                String(account.sinceIsUpperBound), account.setBy ?? "", flag(account.setByAuthorized),
                account.lastEventID ?? "", account.source.rawValue, list(account.findingIDs),
            ]))
        }
    }

    static func findings<Sink: ReportTextSink>(_ report: Report, to sink: inout Sink) {
        sink.write(byteOrderMark + CSVEscaping.record(findingColumns))
        for finding in report.findings {
            sink.write(CSVEscaping.record([
                finding.id, finding.severity.rawValue, finding.kind.rawValue, finding.title, finding.accountKey ?? "",
                finding.account ?? "", list(finding.names), finding.entryID ?? "", finding.detail,
                list(finding.evidence.map(evidence)), finding.action, list(finding.references),
                list(finding.controls.map(\.rawValue)), finding.sinceLastReport?.rawValue ?? "",
            ]))
        }
    }

    static func changes<Sink: ReportTextSink>(_ report: Report, to sink: inout Sink) {
        changes(report.changes, to: &sink)
    }

    /// The changes table of `changes` (a report's, written before the rest of it is built: `RenderedAhead`).
    static func changes<Sink: ReportTextSink>(_ changes: [ReportChange], to sink: inout Sink) {
        sink.write(byteOrderMark + CSVEscaping.record(changeColumns))
        for change in changes {
            sink.write(CSVEscaping.record([
                change.eventID, ReportFormatting.time(change.time), change.kind.rawValue, change.accountKey ?? "",
                change.account ?? "", change.identity ?? "", change.actor ?? "", flag(change.actorAuthorized),
                change.clientIP ?? "", change.outcome.rawValue, change.direction.rawValue, change.originalStatus ?? "",
            ]))
        }
    }

    static func alerts<Sink: ReportTextSink>(_ report: Report, to sink: inout Sink) {
        alerts(report.alerts, to: &sink)
    }

    /// The alerts table of `alerts` (a report's, written before the rest of it is built: `RenderedAhead`).
    static func alerts<Sink: ReportTextSink>(_ alerts: ReportAlerts, to sink: inout Sink) {
        sink.write(byteOrderMark + CSVEscaping.record(alertColumns))
        for alert in alerts.items {
            sink.write(CSVEscaping.record([
                String(alert.id), alert.ruleID, alert.ruleName, alert.severity.rawValue, alert.signal.rawValue, alert.eventID,
                ReportFormatting.time(alert.eventTime), alert.actor ?? "", alert.target ?? "", alert.outcome.rawValue,
                alert.direction.rawValue, ReportFormatting.time(alert.raisedAt), alert.triageState.rawValue,
                alert.triagedBy ?? "", time(alert.triagedAt), alert.triageNote ?? "",
            ]))
        }
    }

    /// `event:abc@2026-10-03T08:15:00.000Z (note)`.
    static func evidence(_ item: Evidence) -> String {
        var text = "\(item.kind.rawValue):\(item.reference)"
        if let time = item.time { text += "@" + ReportFormatting.time(time) }
        if let note = item.note, !note.isEmpty { text += " (\(note))" }
        return text
    }

    private static func rendered(_ body: (inout String) -> Void) -> String {
        var text = ""
        body(&text)
        return text
    }

    private static func list(_ values: [String]) -> String { values.joined(separator: "; ") }
    private static func day(_ value: UTCDay?) -> String { value?.description ?? "" }
    private static func time(_ value: Date?) -> String { value.map(ReportFormatting.time) ?? "" }
    private static func flag(_ value: Bool?) -> String { value.map { String($0) } ?? "" }
}
