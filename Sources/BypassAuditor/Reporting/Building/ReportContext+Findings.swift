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

    /// Drift's findings, most severe first, then by kind and id (a stable order month to month).
    func findings(controlsByFinding: [String: [ControlID]]) -> [ReportFinding] {
        inputs.drift.findings.map { finding in
            let accountKey = accountKeyByFinding[finding.id] ?? finding.account
            return ReportFinding(
                id: finding.id, anchor: ReportAnchor.finding(finding.id), kind: finding.kind,
                title: FindingCatalog.title(of: finding.kind), severity: finding.severity, accountKey: accountKey,
                account: accountKey.flatMap { accountsByKey[$0]?.displayName } ?? finding.names.first ?? finding.account,
                names: finding.names, entryID: finding.entryID, detail: finding.detail,
                evidence: finding.evidence, action: finding.action, references: FindingCatalog.references(of: finding.kind),
                controls: controlsByFinding[finding.id] ?? [], sinceLastReport: nil)
        }.sorted {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            let left = FindingCatalog.rank(of: $0.kind)
            let right = FindingCatalog.rank(of: $1.kind)
            return left != right ? left < right : $0.id < $1.id
        }
    }
}
