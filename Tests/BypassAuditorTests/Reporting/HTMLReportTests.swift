import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Drift
@testable import Reporting

/// `tidy` (HTML Tidy 5, Debian package `tidy`) validates the page. CI installs it and must not skip; a developer
/// machine without it skips with a message.
enum Tidy {
    static let path = ["/usr/bin/tidy", "/usr/local/bin/tidy", "/opt/homebrew/bin/tidy"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let onCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let shouldRun = path != nil || onCI

    /// Warnings tidy 5.6 gives that the report cannot avoid, each with its reason. Empty: none are expected today.
    static let justifiedWarnings: [String: String] = [:]

    /// tidy's messages (`line L column C - Error|Warning: …`) for `html`.
    static func messages(for html: String) throws -> [String] {
        guard let path else { throw TidyMissing() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html")
        try Data(html.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-q", "-e", "-utf8", "--show-warnings", "yes", file.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    struct TidyMissing: Error, CustomStringConvertible {
        var description: String { "tidy is not installed (apt-get install -y tidy); CI=true requires it" }
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    static let samples: [(name: String, report: Report)] = [
        ("sample", ReportSamples.report),
        ("hostile", HostileSamples.report),
        ("first report, no history", ReportBuilder.build(ReportSamples.inputs(previous: nil))),
    ]

    @Test("passes the tidy HTML validator with no error and no unjustified warning", .enabled(if: Tidy.shouldRun, "tidy not installed: skipped (CI=true makes this a failure)"))
    func tidyValidates() throws {
        guard Tidy.path != nil else {
            Issue.record("tidy is missing but CI=true: install it with apt-get install -y tidy")
            return
        }
        for sample in Self.samples {
            let messages = try Tidy.messages(for: HTMLReportRenderer.render(sample.report))
            let errors = messages.filter { $0.contains("Error:") }
            #expect(errors.isEmpty, "\(sample.name): \(errors)")
            let warnings = messages.filter { $0.contains("Warning:") && !Tidy.justifiedWarnings.keys.contains(where: $0.contains) }
            #expect(warnings.isEmpty, "\(sample.name): \(warnings)")
        }
    }

    @Test("one self-contained page: no script, nothing fetched, a policy that forbids both")
    func selfContained() {
        let html = HTMLReportRenderer.render(ReportSamples.report)
        let tags = RenderedChecks.tags(in: html)
        #expect(!tags.contains { $0.name == "script" || $0.name == "link" || $0.name == "img" || $0.name == "iframe" || $0.name == "object" })
        #expect(!tags.contains { $0.attributes.contains { $0.name == "src" || $0.name == "srcset" || $0.name == "style" } })
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"))
        for link in tags.flatMap({ $0.attributes.filter { $0.name == "href" } }) {
            #expect(link.value.hasPrefix("#") || link.value.hasPrefix("https://"), "\(link.value)")
        }
    }

    @Test("semantic structure: one h1, captions on every table, scoped header cells, linked contents, unique resolving anchors")
    func structure() {
        for sample in Self.samples {
            let html = HTMLReportRenderer.render(sample.report)
            let tags = RenderedChecks.tags(in: html)
            #expect(tags.filter { $0.name == "h1" }.count == 1, "\(sample.name)")
            #expect(tags.filter { $0.name == "table" }.count == tags.filter { $0.name == "caption" }.count, "\(sample.name)")
            for th in tags where th.name == "th" {
                #expect(th.attributes.contains { $0.name == "scope" && ($0.value == "col" || $0.value == "row") })
            }
            #expect(tags.first { $0.name == "html" }?.attributes.contains { $0.name == "lang" && $0.value == "en" } == true)
            let ids = RenderedChecks.ids(in: html)
            #expect(Set(ids).count == ids.count, "\(sample.name): duplicate ids")
            let links = Set(RenderedChecks.fragmentLinks(in: html))
            #expect(links.isSubset(of: Set(ids)), "\(sample.name): dangling \(links.subtracting(ids))")
            for section in ReportSection.allCases {
                #expect(ids.contains(section.anchor) && links.contains(section.anchor), "\(section) in the contents")
            }
            for details in tags where details.name == "details" {
                #expect(details.attributes.contains { $0.name == "open" }, "details start expanded (and print expanded)")
            }
        }
    }

    @Test("stable anchors for every finding, control, account and investigation, identical in next month's report")
    func stableAnchors() {
        let html = HTMLReportRenderer.render(ReportSamples.report)
        let ids = Set(RenderedChecks.ids(in: html))
        let report = ReportSamples.report
        for anchor in report.findings.map(\.anchor) + report.summary.controls.map(\.anchor) + report.inventory.map(\.anchor)
            + report.investigations.map(\.anchor) + report.compliance.map(\.id)
        {
            #expect(ids.contains(anchor), "\(anchor)")
        }
        // Next month: different run, same identities, same anchors.
        var next = ReportSamples.inputs()
        next.generatedAt = ReportSamples.time("2026-12-01T06:00:00Z")
        next.revision = 3
        let nextIDs = Set(RenderedChecks.ids(in: HTMLReportRenderer.render(ReportBuilder.build(next))))
        #expect(ids == nextIDs)
        #expect(ids.contains("control-fp-1"))
    }

    @Test("verdict and every count come first; badges always carry a text label")
    func verdictFirst() throws {
        let html = HTMLReportRenderer.render(ReportSamples.report)
        let header = try #require(html.range(of: "</header>")).lowerBound
        let top = String(html[..<header])
        #expect(top.contains("<h1>"))
        #expect(top.contains("Action required"))
        let sentence = ReportSamples.report.summary.verdictSentence.dropFirst("Action required: ".count)
        #expect(top.contains("<span class=\"badge st-fail\">Action required</span> " + HTMLEscaping.escape(String(sentence))))
        #expect(top.contains("Findings by severity"))
        for severity in Severity.allCases { #expect(top.contains(">\(severity.label)</span>")) }
        for status in ControlStatus.allCases { #expect(top.contains(">\(status.label)</span>")) }
        // Every badge span has text.
        let emptyBadge = try Regex("<span class=\"badge[^\"]*\"></span>")
        #expect(html.firstMatch(of: emptyBadge) == nil)
    }

    @Test("dark mode by prefers-color-scheme; print is A4, light, expanded, findings unsplit")
    func themes() {
        let css = HTMLStyle.css
        #expect(css.contains("@media (prefers-color-scheme:dark)"))
        #expect(css.contains("@page{size:A4 portrait"))
        let print = css[css.range(of: "@media print{")!.lowerBound...]
        #expect(print.contains(HTMLPalette.variables(HTMLPalette.light)), "print is light whatever the screen theme")
        #expect(print.contains("details::details-content{content-visibility:visible"))
        #expect(print.contains(".finding,.investigation"))
        #expect(print.contains("break-inside:avoid"))
        #expect(print.contains("thead{display:table-header-group}"))
    }

    @Test("every text colour reaches WCAG AA contrast (4.5:1) in both themes and on every badge")
    func contrast() {
        for pair in HTMLPalette.textPairs {
            let ratio = HTMLPalette.contrast(pair.foreground, pair.background)
            #expect(ratio >= 4.5, "\(pair.name): \(ratio)")
        }
        #expect(abs(HTMLPalette.contrast("#000000", "#ffffff") - 21) < 0.01)
    }

    @Test("long evidence lists end with 'N more — see <the file that has them all>' rather than being cut silently")
    func longLists() throws {
        var inputs = ReportSamples.inputs()
        let evidence = (0..<37).map { Evidence(kind: .event, reference: "evt-\($0)") }
        inputs.drift.findings[0].evidence = evidence
        let report = ReportBuilder.build(inputs)
        let limits = ReportRenderingLimits(evidencePerFinding: 10, changes: 2)
        let html = HTMLReportRenderer.render(report, limits: limits)
        #expect(html.contains("27 more evidence items — see findings.csv."))
        #expect(html.contains("2 more changes — see changes.csv."))
        #expect(html.contains("evt-9") && !html.contains("evt-10<"))
        let markdown = MarkdownReportRenderer.render(report, limits: limits)
        #expect(markdown.contains("27 more evidence items — see findings.csv."))
        #expect(CSVReportRenderer.findings(report).contains("event:evt-36"), "findings.csv holds every item")
        let json = try JSONReportRenderer.render(report)
        #expect(json.contains("\"evt-24\"") && !json.contains("\"evt-25\""), "the JSON holds the first 25 items")
        #expect(json.contains("\"not_listed\":12"))
    }

    @Test("the trend chart is inline SVG with numbers as text, labelled for screen readers")
    func trendChart() throws {
        let svg = TrendChartSVG.render(ReportSamples.report.trend)
        #expect(svg.hasPrefix("<svg class=\"chart\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-label=\"Trend: 2025-11: "))
        #expect(svg.contains("<title>Trend over 12 periods</title>"))
        #expect(svg.contains(">Critical</text>"))
        #expect(svg.contains(">Oct</text>"))
        #expect(svg.contains(">2025</text>") && svg.contains(">2026</text>"), "the year under the first period and each January")
        #expect(TrendChartSVG.axisLabel("2026-10-01..2026-10-15", showYear: false) == ("10-01", nil))
        #expect(svg.firstMatch(of: try Regex("=\"-?(nan|inf)")) == nil, "every coordinate is a number")
        let single = TrendChartSVG.render([TrendPoint(periodLabel: "2026-10", reportID: "x", isCurrent: true, bypassedAccounts: 0, findings: SeverityCounts())])
        #expect(!single.contains("NaN"), "an all-zero trend still draws")
    }
}
