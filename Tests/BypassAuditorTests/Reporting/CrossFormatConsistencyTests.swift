import Foundation
import Testing

import BypassAuditor
@testable import Reporting

/// HTML, Markdown and JSON are three renderings of one model: read back independently, they must agree on every
/// finding id and severity, every control status, every account status and every summary count.
@Suite("Cross-format consistency")
struct CrossFormatConsistencyTests {
    struct Facts: Equatable, CustomStringConvertible {
        var findings: [String: String] = [:]
        var controls: [String: String] = [:]
        var accounts: [String: String] = [:]
        var severityCounts: [Int] = []
        var controlCounts: [Int] = []

        var description: String { "findings \(findings)\ncontrols \(controls)\naccounts \(accounts)\ncounts \(severityCounts) \(controlCounts)" }
    }

    static func fromJSON(_ text: String) throws -> Facts {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var facts = Facts()
        for finding in try #require(root["findings"] as? [[String: Any]]) {
            facts.findings[try #require(finding["anchor"] as? String)] = try #require(finding["severity"] as? String)
        }
        let summary = try #require(root["summary"] as? [String: Any])
        for control in try #require(summary["controls"] as? [[String: Any]]) {
            facts.controls[try #require(control["anchor"] as? String)] = try #require(control["status"] as? String)
        }
        for account in try #require(root["inventory"] as? [[String: Any]]) {
            facts.accounts[try #require(account["anchor"] as? String)] = try #require(account["status"] as? String)
        }
        let counts = try #require(summary["findings_by_severity"] as? [String: Int])
        facts.severityCounts = ["critical", "high", "medium", "low", "info", "total"].map { counts[$0] ?? -1 }
        let controls = try #require(summary["controls_by_status"] as? [String: Int])
        facts.controlCounts = ["pass", "warn", "fail"].map { controls[$0] ?? -1 }
        return facts
    }

    static func fromHTML(_ html: String) throws -> Facts {
        var facts = Facts()
        for match in html.matches(of: try Regex("<article class=\"finding\" id=\"([^\"]+)\"><h3><span class=\"badge sev-([a-z]+)\">")) {
            facts.findings[String(match.output[1].substring!)] = String(match.output[2].substring!)
        }
        for match in html.matches(of: try Regex("<tr id=\"(control-[^\"]+)\"><th scope=\"row\">FP-\\d</th><td>[^<]*</td><td><span class=\"badge st-([a-z]+)\">")) {
            facts.controls[String(match.output[1].substring!)] = String(match.output[2].substring!)
        }
        let statusByClassAndLabel: [String: String] = Dictionary(
            uniqueKeysWithValues: AccountApprovalStatus.allCases.map { ($0.label, $0.rawValue) })
        for match in html.matches(of: try Regex("<tr id=\"(account-[^\"]+)\"><th scope=\"row\">.*?</th><td><span class=\"badge [a-z-]+\">([^<]+)</span>")) {
            facts.accounts[String(match.output[1].substring!)] = statusByClassAndLabel[String(match.output[2].substring!)] ?? "?"
        }
        facts.severityCounts = try numbers(after: "<caption>Findings by severity</caption>", in: html, count: 6)
        facts.controlCounts = try numbers(after: "<caption>Controls FP-1 to FP-5</caption>", in: html, count: 3)
        return facts
    }

    private static func numbers(after marker: String, in html: String, count: Int) throws -> [Int] {
        let start = try #require(html.range(of: marker)).upperBound
        let rest = html[start...]
        let values = rest.matches(of: try Regex("<td class=\"num\">(\\d+)</td>")).prefix(count).map { Int($0.output[1].substring!)! }
        return values
    }

    static func fromMarkdown(_ markdown: String) throws -> Facts {
        var facts = Facts()
        let lines = markdown.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() where line.hasPrefix("<a id=\"finding-") && index + 1 < lines.count {
            let anchor = String(line.dropFirst("<a id=\"".count).prefix { $0 != "\"" })
            let heading = lines[index + 1]
            #expect(heading.hasPrefix("### "))
            let label = heading.dropFirst(4).prefix { $0 != ":" }
            facts.findings[anchor] = label.lowercased()
        }
        for line in lines where line.hasPrefix("| <a id=\"control-") {
            let cells = RenderedChecks.markdownCells(line)
            let anchor = String(cells[1].dropFirst("<a id=\"".count).prefix { $0 != "\"" })
            facts.controls[anchor] = cells[3].replacingOccurrences(of: "*", with: "").lowercased()
        }
        let statusByLabel = Dictionary(uniqueKeysWithValues: AccountApprovalStatus.allCases.map { ($0.label, $0.rawValue) })
        for line in lines where line.hasPrefix("| <a id=\"account-") {
            let cells = RenderedChecks.markdownCells(line)
            let anchor = String(cells[1].dropFirst("<a id=\"".count).prefix { $0 != "\"" })
            facts.accounts[anchor] = statusByLabel[cells[2].replacingOccurrences(of: "*", with: "")] ?? "?"
        }
        let severityRow = try #require(lines.first { $0.hasPrefix("| by severity |") })
        facts.severityCounts = severityRow.split(separator: "|").dropFirst().compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let controlRow = try #require(lines.first { $0.hasPrefix("| FP-1 to FP-5 |") })
        facts.controlCounts = Array(controlRow.split(separator: "|").dropFirst().compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.prefix(3))
        return facts
    }

    @Test("JSON, HTML and Markdown agree on ids, statuses and counts", arguments: ["sample", "hostile"])
    func agree(_ name: String) throws {
        let report = name == "sample" ? ReportSamples.report : HostileSamples.report
        let json = try Self.fromJSON(try JSONReportRenderer.render(report))
        let html = try Self.fromHTML(HTMLReportRenderer.render(report))
        let markdown = try Self.fromMarkdown(MarkdownReportRenderer.render(report))
        #expect(json.findings.count == report.findings.count)
        #expect(json.controls.count == 5)
        #expect(json.accounts.count == report.inventory.count)
        #expect(json == html, "JSON vs HTML")
        #expect(json == markdown, "JSON vs Markdown")
    }

    @Test("the CSV files carry the same findings and accounts as the JSON")
    func csvAgrees() throws {
        let report = ReportSamples.report
        let findings = RenderedChecks.parseCSV(CSVReportRenderer.findings(report)).dropFirst()
        #expect(findings.map { [$0[0], $0[1]] } == report.findings.map { [$0.id, $0.severity.rawValue] })
        let inventory = RenderedChecks.parseCSV(CSVReportRenderer.inventory(report)).dropFirst()
        #expect(inventory.map { [$0[0], $0[5]] } == report.inventory.map { [$0.key, $0.status.rawValue] })
    }

    @Test("the JSON uses the shared convention: snake_case keys, UTC millisecond times, a schema version")
    func jsonConvention() throws {
        let json = try JSONReportRenderer.render(ReportSamples.report)
        #expect(json.contains("\"schema_version\":2"))
        #expect(json.contains("\"as_of\":\"2026-10-31T23:59:59.999Z\""))
        #expect(json.contains("\"finding_ids\""))
        #expect(json.contains("\"event_id\""))
        #expect(json.contains("\"allowlist_sha256\""))
        #expect(!json.contains("_i_ds"), "acronyms convert as words")
        let keys = try Regex("\"([A-Za-z_0-9]+)\" :")
        for match in json.matches(of: keys) {
            let key = String(match.output[1].substring!)
            #expect(key == key.lowercased(), "\(key) is not snake_case")
        }
    }
}
