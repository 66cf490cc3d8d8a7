import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Drift
@testable import Reporting

/// HTML and Markdown show the first N of every growing list and say how many more there are and where; the CSV files
/// carry every row and `report.json` every finding and account, with its own bounded lists counted in `not_listed`.
/// All of them agree on the counts.
@Suite struct BoundedListsTests {
    static let limits = ReportRenderingLimits(
        detailedFindings: 4, evidencePerFinding: 3, changes: 25, alerts: 5, detailedInvestigations: 2, registerRows: 500,
        jsonEvidencePerFinding: 6, jsonChanges: 40, jsonAlerts: 7, jsonDetailedInvestigations: 5, jsonWindowsPerInvestigation: 1)

    /// 30 bypassed accounts with 3 changes each (90 changes), 12 findings, 19 alerts, one finding with 50 evidence items.
    static var report: Report {
        var report = ReportBuilder.build(ScaleSamples.inputs(accounts: 30, changesPerAccount: 3, approved: 18, entriesTotal: 20))
        let template = ReportSamples.report.alerts.items[0]
        report.alerts = ReportAlerts(items: (1...19).map { index in
            var alert = template
            alert.id = Int64(index)
            alert.anchor = "alert-\(index)"
            return alert
        })
        report.findings[0].evidence = (0..<50).map {
            Evidence(kind: .event, reference: "evt-extra-\($0)", time: ReportSamples.period.start.addingTimeInterval(Double($0)))
        }
        return report
    }

    @Test func boundedListsAndCompleteFilesAgreeOnCounts() throws {
        let report = Self.report
        #expect(report.changes.count == 90 && report.findings.count == 12 && report.alerts.items.count == 19)

        // The CSV files: every row.
        #expect(RenderedChecks.parseCSV(CSVReportRenderer.changes(report)).count - 1 == 90)
        #expect(RenderedChecks.parseCSV(CSVReportRenderer.alerts(report)).count - 1 == 19)
        let findingRows = RenderedChecks.parseCSV(CSVReportRenderer.findings(report)).dropFirst()
        #expect(findingRows.count == 12)
        let evidenceColumn = try #require(CSVReportRenderer.findingColumns.firstIndex(of: "evidence"))
        #expect(findingRows.first?[evidenceColumn].components(separatedBy: "; ").count == 50)
        #expect(RenderedChecks.parseCSV(CSVReportRenderer.inventory(report)).count - 1 == report.inventory.count)

        // report.json: every finding and account; changes, alerts and evidence bounded, with what was left out.
        let json = try JSONReportRenderer.render(report, limits: Self.limits)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["findings"] as? [Any])?.count == 12)
        #expect((object["inventory"] as? [Any])?.count == report.inventory.count)
        #expect((object["changes"] as? [Any])?.count == 40)
        let alerts = try #require(object["alerts"] as? [String: Any])
        #expect((alerts["items"] as? [Any])?.count == 7)
        #expect(alerts["total"] as? Int == 19)
        let notListed = try #require(object["not_listed"] as? [String: Any])
        let changes = try #require(notListed["changes"] as? [String: Any])
        #expect(changes["listed"] as? Int == 40 && changes["not_listed"] as? Int == 50 && changes["complete_in"] as? String == "changes.csv")
        let alertCut = try #require(notListed["alerts"] as? [String: Any])
        #expect(alertCut["listed"] as? Int == 7 && alertCut["not_listed"] as? Int == 12 && alertCut["complete_in"] as? String == "alerts.csv")
        let evidence = try #require(notListed["evidence"] as? [[String: Any]])
        #expect(evidence.count == 1)
        #expect(evidence.first?["finding_id"] as? String == report.findings[0].id)
        #expect(evidence.first?["listed"] as? Int == 6 && evidence.first?["not_listed"] as? Int == 44)
        // Every investigation, the first 5 with their checklist, each with its latest window.
        let investigations = try #require(object["investigations"] as? [[String: Any]])
        #expect(investigations.count == report.investigations.count && report.investigations.count > 5)
        #expect(investigations.prefix(5).allSatisfy { ($0["checklist"] as? [Any])?.isEmpty == false })
        #expect(investigations.dropFirst(5).allSatisfy { ($0["checklist"] as? [Any])?.isEmpty != false })
        let checklists = try #require(notListed["checklists"] as? [String: Any])
        #expect(checklists["listed"] as? Int == 5 && checklists["not_listed"] as? Int == report.investigations.count - 5)
        let windowCuts = try #require(notListed["windows"] as? [[String: Any]])
        let multiWindow = report.investigations.filter { $0.windows.count > 1 }
        #expect(!multiWindow.isEmpty && windowCuts.count == multiWindow.count)
        #expect(windowCuts.map { $0["not_listed"] as? Int } == multiWindow.map { $0.windows.count - 1 })
        #expect(investigations.allSatisfy { ($0["windows"] as? [Any])?.count ?? 0 <= 1 })
        let firstFinding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect((firstFinding["evidence"] as? [Any])?.count == 6)
        // Still the report model: it decodes, with the complete summary counts.
        let decoded = try JSONCoding.decoder().decode(Report.self, from: Data(json.utf8))
        #expect(decoded.summary == report.summary && decoded.findings.map(\.id) == report.findings.map(\.id))

        // Past the first N findings, each keeps its facts but not its prose (detail, action): findings.csv has it.
        var proseLimits = Self.limits
        proseLimits.jsonDetailedFindings = 4
        let bounded = try JSONReportRenderer.render(report, limits: proseLimits)
        let boundedObject = try #require(try JSONSerialization.jsonObject(with: Data(bounded.utf8)) as? [String: Any])
        let boundedFindings = try #require(boundedObject["findings"] as? [[String: Any]])
        #expect(boundedFindings.map { $0["id"] as? String } == report.findings.map(\.id))
        #expect(boundedFindings.prefix(4).allSatisfy { $0["detail"] is String && $0["action"] is String })
        #expect(boundedFindings.dropFirst(4).allSatisfy { $0["detail"] == nil && $0["action"] == nil })
        #expect(boundedFindings.dropFirst(4).allSatisfy { ($0["evidence"] as? [Any])?.isEmpty == false && $0["severity"] is String })
        let proseCut = try #require((boundedObject["not_listed"] as? [String: Any])?["finding_details"] as? [String: Any])
        #expect(proseCut["listed"] as? Int == 4 && proseCut["not_listed"] as? Int == 8 && proseCut["complete_in"] as? String == "findings.csv")
        let unbounded = try #require((object["not_listed"] as? [String: Any])?["finding_details"] as? [String: Any])
        #expect(unbounded["listed"] as? Int == 12 && unbounded["not_listed"] as? Int == 0)

        // HTML and Markdown: the first N, then "N more — see <the file that has them all>".
        let html = HTMLReportRenderer.render(report, limits: Self.limits)
        let markdown = MarkdownReportRenderer.render(report, limits: Self.limits)
        for text in [html, markdown] {
            #expect(text.contains("65 more changes — see changes.csv."))
            #expect(text.contains("14 more alerts — see alerts.csv."))
            #expect(text.contains("47 more evidence items — see findings.csv."))
            #expect(text.contains("8 more findings’ details (evidence, action) — see findings.csv.")
                || text.contains("8 more findings' details (evidence, action) — see findings.csv.")
                || text.contains("8 more findings&#39; details (evidence, action) — see findings.csv."))
        }
        #expect(html.components(separatedBy: "id=\"change-").count - 1 <= 25)
    }

    @Test("only the investigations some file shows get a checklist, and the cut names no file as holding the rest")
    func checklistsOnlyWhereShown() throws {
        let inputs = ScaleSamples.inputs(accounts: 30, changesPerAccount: 3, approved: 18, entriesTotal: 20)
        let full = ReportBuilder.build(inputs, checklists: .max)
        let cut = ReportBuilder.build(inputs, checklists: Self.limits.checklistsShown)
        #expect(full.investigations.count > Self.limits.checklistsShown)
        #expect(cut.investigations.map(\.accountKey) == full.investigations.map(\.accountKey), "the same order")
        for (index, investigation) in cut.investigations.enumerated() {
            if index < Self.limits.checklistsShown {
                #expect(investigation.checklist == full.investigations[index].checklist)
                #expect(!investigation.checklist.isEmpty)
            } else {
                #expect(investigation.checklist.isEmpty)
            }
        }
        #expect(try JSONReportRenderer.render(cut, limits: Self.limits) == JSONReportRenderer.render(full, limits: Self.limits))
        let hidden = cut.investigations.count - Self.limits.detailedInvestigations
        for text in [HTMLReportRenderer.render(cut, limits: Self.limits), MarkdownReportRenderer.render(cut, limits: Self.limits)] {
            #expect(text.contains("\(hidden) more investigations have a checklist that is not written out"))
            #expect(!text.contains("checklists — see"))
        }
    }
}
