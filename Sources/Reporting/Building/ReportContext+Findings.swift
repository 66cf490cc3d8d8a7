import Drift
import Foundation

extension ReportContext {
    struct ControlRows {
        var rows: [ReportControl]
        var byFinding: [String: [ControlID]]
    }

    /// Drift's five controls, FP-1 first, and which controls each finding decides.
    func controls() -> ControlRows {
        let rows = inputs.drift.controls.sorted { $0.id < $1.id }.map { control in
            ReportControl(
                id: control.id, anchor: ReportAnchor.control(control.id), title: control.title, status: control.status,
                reason: control.reason, findingIDs: control.findingIDs)
        }
        var byFinding: [String: [ControlID]] = [:]
        for row in rows {
            for id in row.findingIDs { byFinding[id, default: []].append(row.id) }
        }
        return ControlRows(rows: rows, byFinding: byFinding)
    }

    /// Drift's findings in drift's order (`Finding.reportOrder`, the one finding order), each with the account and
    /// display name drift gave it: the report renders what drift decided and re-derives neither.
    func findings(controlsByFinding: [String: [ControlID]]) -> [ReportFinding] {
        inputs.drift.findings.map { finding in
            ReportFinding(
                id: finding.id, anchor: ReportAnchor.finding(finding.id), kind: finding.kind,
                title: FindingCatalog.title(of: finding.kind), severity: finding.severity,
                accountKey: finding.accountID?.key ?? finding.account, account: finding.account,
                names: finding.names, entryID: finding.entryID, detail: finding.detail,
                evidence: finding.evidence, action: finding.action, references: FindingCatalog.references(of: finding.kind),
                controls: controlsByFinding[finding.id] ?? [], sinceLastReport: nil)
        }
    }
}
