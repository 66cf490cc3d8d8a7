import Core
import Foundation

extension ReportContext {
    /// One PowerShell line per unapproved or expired bypass. An approved bypass is never in the plan, whatever else
    /// is wrong with it (an overdue review is fixed in the register, not by removing the exception).
    func remediationPlan(rows: [ReportAccount]) -> RemediationPlan {
        RemediationPlan(commands: rows.filter { $0.status.isViolation }.map(RemediationLine.command(for:)))
    }
}

/// Writes the remediation line for one account.
enum RemediationLine {
    static let cmdlet = "Set-MailboxAuditBypassAssociation"

    static func command(for row: ReportAccount) -> RemediationCommand {
        let name = row.exchangeName.isEmpty ? row.displayName : row.exchangeName
        let guid = row.guid.flatMap { AccountName.isGUID($0) ? $0 : nil }
        var comment = row.status.rawValue
        if let entryID = row.entryID { comment += ", entry \(entryID)" }
        let line: String
        var byGUID = false
        var manual = false
        if PowerShellQuoting.isSafeOnOneLine(name) {
            if let guid { comment = "GUID \(guid), " + comment }
            line = "\(cmdlet) -Identity \(PowerShellQuoting.singleQuoted(name)) -AuditBypassEnabled $false  # \(PowerShellQuoting.commentText(comment))"
        } else if let guid {
            // A line break or invisible character in a quoted name would make the line read differently from what
            // it runs: the GUID names the same account without that risk.
            byGUID = true
            line = "\(cmdlet) -Identity \(PowerShellQuoting.singleQuoted(guid)) -AuditBypassEnabled $false  # \(PowerShellQuoting.commentText("name \(name) has hidden characters, so by GUID; \(comment)"))"
        } else {
            manual = true
            line = "# MANUAL: \(PowerShellQuoting.commentText("\(name) (\(comment)) has hidden characters in its name and no known GUID: find its GUID with Get-MailboxAuditBypassAssociation and remove the bypass by GUID."))"
        }
        return RemediationCommand(
            accountKey: row.key, accountAnchor: row.anchor, exchangeName: name, guid: guid, status: row.status,
            entryID: row.entryID, identifiedByGUID: byGUID, needsManualAction: manual, line: line)
    }
}
