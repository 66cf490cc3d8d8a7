import Foundation

/// `inventory.csv` and `findings.csv`: RFC 4180 (comma, CRLF, quotes doubled), UTF-8 without BOM, one header row,
/// every cell safe to open in a spreadsheet (a leading `= + - @`, tab or CR is neutralised with `'`).
public enum CSVReportRenderer {
    public static let inventoryFileName = "inventory.csv"
    public static let findingsFileName = "findings.csv"

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

    public static func inventory(_ report: Report) -> String {
        var text = CSVEscaping.record(inventoryColumns)
        for account in report.inventory {
            text += CSVEscaping.record([
                account.key, account.displayName, account.exchangeName, account.guid ?? "", list(account.names),
                account.status.rawValue, String(account.reviewOverdue), day(account.reviewDue), account.entryID ?? "",
                account.category?.rawValue ?? "", account.tool ?? "", account.legalBasis ?? "", account.owner ?? "",
                account.justification ?? "", account.approvedBy ?? "", day(account.approvedOn), account.ticket ?? "",
                day(account.lastReviewedOn), day(account.expiresOn), list(account.missingFields), time(account.since),
                String(account.sinceIsUpperBound), account.setBy ?? "", flag(account.setByAuthorized),
                account.lastEventID ?? "", account.source.rawValue, list(account.findingIDs),
            ])
        }
        return text
    }

    public static func findings(_ report: Report) -> String {
        var text = CSVEscaping.record(findingColumns)
        for finding in report.findings {
            text += CSVEscaping.record([
                finding.id, finding.severity.rawValue, finding.kind.rawValue, finding.title, finding.accountKey ?? "",
                finding.account ?? "", list(finding.names), finding.entryID ?? "", finding.detail,
                list(finding.evidence.map(evidence)), finding.action, list(finding.references),
                list(finding.controls.map(\.rawValue)), finding.sinceLastReport?.rawValue ?? "",
            ])
        }
        return text
    }

    /// `event:abc@2026-10-03T08:15:00.000Z (note)`.
    static func evidence(_ item: Evidence) -> String {
        var text = "\(item.kind.rawValue):\(item.reference)"
        if let time = item.time { text += "@" + ReportFormatting.time(time) }
        if let note = item.note, !note.isEmpty { text += " (\(note))" }
        return text
    }

    private static func list(_ values: [String]) -> String { values.joined(separator: "; ") }
    private static func day(_ value: UTCDay?) -> String { value?.description ?? "" }
    private static func time(_ value: Date?) -> String { value.map(ReportFormatting.time) ?? "" }
    private static func flag(_ value: Bool?) -> String { value.map { String($0) } ?? "" }
}
