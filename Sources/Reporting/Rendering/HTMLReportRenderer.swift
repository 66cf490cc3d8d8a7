import Core
import Drift
import Foundation

/// `report.html`: one self-contained page (inline CSS, no script, nothing fetched — a Content-Security-Policy meta
/// forbids it) that reads on screen, in dark mode and on A4 paper.
///
/// Every string from the data goes through `HTMLEscaping`; status is always written as text (badges carry labels,
/// colour only adds emphasis to non-passing items); anchors derive from identities, so `report.html#finding-…`
/// points at the same finding month after month.
public enum HTMLReportRenderer {
    public static let fileName = "report.html"

    public static func render(_ report: Report, limits: ReportRenderingLimits = .standard) -> String {
        var renderer = Renderer(report: report, limits: limits)
        renderer.document()
        return renderer.out
    }

    private struct Renderer {
        let report: Report
        let limits: ReportRenderingLimits
        var out = ""
        /// Ids already placed: an event touching two accounts appears twice, its anchor only once.
        var usedIDs = Set<String>()

        init(report: Report, limits: ReportRenderingLimits) {
            self.report = report
            self.limits = limits
            // What the document will hold: every account, and the changes and alerts up to their limits (reserving
            // for every change of the period, as before the lists were bounded, took 64 MB at 200,000 changes).
            let listedRows = min(report.changes.count, limits.changes) + min(report.alerts.items.count, limits.alerts)
            out.reserveCapacity(64 * 1024 + report.inventory.count * 900 + listedRows * 300)
        }

        // MARK: Helpers

        private func h(_ text: String?) -> String { text.map(HTMLEscaping.escape) ?? "" }
        private func time(_ date: Date?) -> String { date.map(ReportFormatting.time) ?? "" }
        private func code(_ text: String?) -> String { text.map { "<code>\(HTMLEscaping.escape($0))</code>" } ?? "" }
        private func link(_ text: String, _ anchor: String) -> String { "<a href=\"#\(anchor)\">\(HTMLEscaping.escape(text))</a>" }
        private func findingLink(_ id: String) -> String { "<a href=\"#\(ReportAnchor.finding(id))\"><code>\(HTMLEscaping.escape(id))</code></a>" }
        private func dash(_ html: String) -> String { html.isEmpty ? "<span class=\"muted\">—</span>" : html }

        private func badge(_ severity: Severity) -> String {
            "<span class=\"badge sev-\(severity.rawValue)\">\(severity.label)</span>"
        }
        private func badge(_ status: ControlStatus) -> String {
            "<span class=\"badge st-\(status.rawValue)\">\(status.label)</span>"
        }
        private func badge(_ status: ComplianceStatus) -> String {
            "<span class=\"badge st-\(status == .informational ? "info" : status.rawValue)\">\(status.label)</span>"
        }
        private func badge(_ status: AccountApprovalStatus) -> String {
            let style: String
            switch status {
            case .unapproved, .expired: style = "st-fail"
            case .expiringSoon: style = "st-warn"
            case .approved: style = "st-pass"
            }
            return "<span class=\"badge \(style)\">\(status.label)</span>"
        }
        private func neutralBadge(_ text: String) -> String { "<span class=\"badge st-neutral\">\(HTMLEscaping.escape(text))</span>" }

        /// ` id="…"` the first time an anchor is placed, nothing after.
        private mutating func idAttribute(_ anchor: String) -> String {
            usedIDs.insert(anchor).inserted ? " id=\"\(anchor)\"" : ""
        }

        private mutating func table(
            caption: String, headers: [String], rowHeader: Bool = true, rows: [(id: String?, cells: [String])], numeric: Set<Int> = []
        ) {
            out += "<div class=\"scroll\"><table><caption>\(caption)</caption><thead><tr>"
            for header in headers { out += "<th scope=\"col\">\(header)</th>" }
            out += "</tr></thead><tbody>"
            for row in rows {
                out += "<tr\(row.id.map { idAttribute($0) } ?? "")>"
                for (index, cell) in row.cells.enumerated() {
                    let classes = numeric.contains(index) ? " class=\"num\"" : ""
                    if index == 0 && rowHeader {
                        out += "<th scope=\"row\"\(classes)>\(dash(cell))</th>"
                    } else {
                        out += "<td\(classes)>\(dash(cell))</td>"
                    }
                }
                out += "</tr>"
            }
            out += "</tbody></table></div>\n"
        }

        private mutating func more(_ hidden: Int, _ what: String, in file: String = JSONReportRenderer.fileName) {
            guard hidden > 0 else { return }
            moreParagraph(MoreInFile.text(hidden, what, in: file))
        }

        /// The sentence that ends a cut list.
        private mutating func moreParagraph(_ sentence: String) {
            out += "<p class=\"more\">\(h(sentence))</p>\n"
        }

        private mutating func sectionStart(_ section: ReportSection) {
            out += "<section\(idAttribute(section.anchor)) aria-labelledby=\"\(section.anchor)-h\"><h2 id=\"\(section.anchor)-h\">\(section.title)</h2>\n"
            usedIDs.insert("\(section.anchor)-h")
        }

        private mutating func sectionEnd() { out += "</section>\n" }

        // MARK: Document

        mutating func document() {
            let title = "Mailbox audit bypass report \(report.periodLabel), tenant \(report.tenant.reportText)"
            out += """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="color-scheme" content="light dark">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
                <meta name="generator" content="bypass-auditor \(h(report.provenance.toolVersion))">
                <title>\(h(title))</title>
                <style>
                \(HTMLStyle.css)
                </style>
                </head>
                <body>
                <a class="skip" href="#main">Skip to the report</a>
                <div class="page">

                """
            header()
            contents()
            out += "<main id=\"main\">\n"
            usedIDs.insert("main")
            summary()
            findings()
            investigations()
            inventory()
            changes()
            alerts()
            comparison()
            allowlistHealth()
            remediation()
            coverage()
            compliance()
            provenance()
            out += "</main>\n<footer><p>Generated by bypass-auditor \(h(report.provenance.toolVersion)) at \(time(report.generatedAt)) (UTC). Report \(code(report.id)). The JSON (\(JSONReportRenderer.fileName)) holds every item; \(ReportProvenance.manifestFileName) holds the SHA-256 of every file.</p></footer>\n</div>\n</body>\n</html>\n"
        }

        mutating func header() {
            let summary = report.summary
            out += "<header class=\"top\">\n<h1>Mailbox audit bypass report: \(h(report.periodLabel))</h1>\n"
            out += "<p class=\"meta\">Tenant \(code(report.tenant.reportText)) · Period \(report.period.firstDay) to \(report.period.lastDay) · As of \(time(report.asOf)) UTC · Generated \(time(report.generatedAt)) UTC · Report \(code(report.id)) (revision \(report.revision))</p>\n"
            let verdictBadge: String
            switch summary.verdict {
            case .actionRequired: verdictBadge = "<span class=\"badge st-fail\">\(summary.verdict.label)</span>"
            case .attentionNeeded: verdictBadge = "<span class=\"badge st-warn\">\(summary.verdict.label)</span>"
            case .noActionNeeded: verdictBadge = "<span class=\"badge st-pass\">\(summary.verdict.label)</span>"
            }
            // The badge says the verdict; the sentence follows without repeating it.
            let prefix = summary.verdict.label + ": "
            let sentence = summary.verdictSentence.hasPrefix(prefix) ? String(summary.verdictSentence.dropFirst(prefix.count)) : summary.verdictSentence
            out += "<p class=\"verdict verdict-\(summary.verdict.rawValue)\"><strong>Verdict:</strong> \(verdictBadge) \(h(sentence))</p>\n"
            out += "<div class=\"counts\">\n"
            let severities = Severity.descending
            out += "<table><caption>Findings by severity</caption><thead><tr>"
            out += severities.map { "<th scope=\"col\">\(badge($0))</th>" }.joined() + "<th scope=\"col\">Total</th></tr></thead><tbody><tr>"
            out += severities.map { "<td class=\"num\">\(summary.findingsBySeverity[$0])</td>" }.joined()
            out += "<td class=\"num\">\(summary.findingsBySeverity.total)</td></tr></tbody></table>\n"
            out += "<table><caption>Controls FP-1 to FP-5</caption><thead><tr>"
            out += ControlStatus.allCases.map { "<th scope=\"col\">\(badge($0))</th>" }.joined() + "</tr></thead><tbody><tr>"
            out += ControlStatus.allCases.map { "<td class=\"num\">\(summary.controlsByStatus[$0])</td>" }.joined()
            out += "</tr></tbody></table>\n"
            out += "<table><caption>Bypassed accounts at as-of</caption><thead><tr>"
            let states: [AccountApprovalStatus] = [.unapproved, .expired, .expiringSoon, .approved]
            out += states.map { "<th scope=\"col\">\(badge($0))</th>" }.joined() + "<th scope=\"col\">Total</th></tr></thead><tbody><tr>"
            out += states.map { "<td class=\"num\">\(summary.accountsByStatus[$0])</td>" }.joined()
            out += "<td class=\"num\">\(summary.bypassedAccounts)</td></tr></tbody></table>\n</div>\n"
            out += "<ul class=\"controls-strip\" aria-label=\"Controls\">"
            for control in summary.controls {
                out += "<li><a href=\"#\(control.anchor)\">\(control.id.rawValue)</a> \(badge(control.status))</li>"
            }
            out += "</ul>\n</header>\n"
        }

        mutating func contents() {
            out += "<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 id=\"toc-h\">Contents</h2><ol>"
            usedIDs.insert("toc-h")
            for section in ReportSection.allCases {
                out += "<li><a href=\"#\(section.anchor)\">\(section.title)</a></li>"
            }
            out += "</ol></nav>\n"
        }

        // MARK: Summary and findings

        mutating func summary() {
            sectionStart(.summary)
            let changes = report.summary.changesInPeriod
            out += "<p>In the period: \(changes.enabled) enabled, \(changes.reenabled) re-enabled, \(changes.removed) removed, \(ReportFormatting.count(changes.failedAttempts, "failed attempt")), \(changes.indeterminate) unreadable; \(ReportFormatting.count(report.summary.alertsInPeriod, "alert")) (\(report.summary.openAlerts) open); \(report.summary.daysWithoutData) days without audit data.</p>\n"
            table(
                caption: "The seed rule's false-positive practices as controls",
                headers: ["Control", "Practice", "Status", "Reason", "Deciding findings"],
                rows: report.summary.controls.map { control in
                    let findings = control.findingIDs.prefix(limits.evidencePerFinding).map(findingLink).joined(separator: ", ")
                        + (control.findingIDs.count > limits.evidencePerFinding ? " and \(control.findingIDs.count - limits.evidencePerFinding) more" : "")
                    return (control.anchor, [control.id.rawValue, h(control.title), badge(control.status), h(control.reason), findings])
                })
            sectionEnd()
        }

        mutating func findings() {
            sectionStart(.findings)
            guard !report.findings.isEmpty else {
                out += "<p>No findings.</p>\n"
                sectionEnd()
                return
            }
            let detailed = report.findings.prefix(limits.detailedFindings)
            table(
                caption: "All findings, most severe first",
                headers: ["Finding", "Severity", "What is wrong", "Account", "Since last report"],
                rows: report.findings.enumerated().map { index, finding in
                    // Beyond the detailed ones, the row itself carries the finding's anchor.
                    let isDetailed = index < limits.detailedFindings
                    return (isDetailed ? nil : finding.anchor, [
                        isDetailed ? findingLink(finding.id) : code(finding.id), badge(finding.severity), h(finding.title), h(finding.subject),
                        finding.sinceLastReport.map { neutralBadge($0.label) } ?? "",
                    ])
                })
            more(report.findings.count - detailed.count, "findings' details (evidence, action)", in: CSVReportRenderer.findingsFileName)
            for finding in detailed {
                out += "<article class=\"finding\"\(idAttribute(finding.anchor))><h3>\(badge(finding.severity)) \(h(finding.title))\(finding.account.map { ": " + h($0) } ?? "")</h3>\n<dl class=\"facts\">"
                out += "<dt>Id</dt><dd>\(code(finding.id))</dd>"
                out += "<dt>Severity</dt><dd>\(finding.severity.label)</dd>"
                if let account = finding.account {
                    let names = finding.names.isEmpty ? "" : " <span class=\"muted\">(names: \(finding.names.map(h).joined(separator: ", ")))</span>"
                    out += "<dt>Account</dt><dd>\(h(account))\(names)</dd>"
                }
                if let entry = finding.entryID { out += "<dt>Register entry</dt><dd>\(code(entry))</dd>" }
                out += "<dt>What is wrong</dt><dd>\(h(finding.detail))</dd>"
                out += "<dt>Evidence</dt><dd>"
                if finding.evidence.isEmpty {
                    out += "<span class=\"muted\">none recorded</span>"
                } else {
                    out += "<ul>" + finding.evidence.prefix(limits.evidencePerFinding).map { "<li>\(h($0.plainText))</li>" }.joined() + "</ul>"
                    if finding.evidence.count > limits.evidencePerFinding {
                        out += "<p class=\"more\">\(h(MoreInFile.text(finding.evidence.count - limits.evidencePerFinding, "evidence items", in: CSVReportRenderer.findingsFileName)))</p>"
                    }
                }
                out += "</dd><dt>Recommended action</dt><dd>\(h(finding.action))</dd>"
                out += "<dt>References</dt><dd>" + finding.references.map { link(referenceTitle($0), $0) }.joined(separator: ", ") + "</dd>"
                if !finding.controls.isEmpty {
                    out += "<dt>Controls</dt><dd>" + finding.controls.map { link($0.rawValue, ReportAnchor.control($0)) }.joined(separator: ", ") + "</dd>"
                }
                if let trend = finding.sinceLastReport { out += "<dt>Since last report</dt><dd>\(trend.label)</dd>" }
                out += "</dl></article>\n"
            }
            sectionEnd()
        }

        private func referenceTitle(_ id: String) -> String {
            report.compliance.first { $0.id == id }.map { "\($0.framework) \($0.identifier)" } ?? id
        }

        // MARK: Investigations

        mutating func investigations() {
            sectionStart(.investigations)
            guard !report.investigations.isEmpty else {
                out += "<p>No account was bypassed without a valid approval in the period.</p>\n"
                sectionEnd()
                return
            }
            out += "<p>Each account whose mailbox activity went unaudited without a valid written exception: when auditing stopped, until when, and who opened the window. The checklists follow the seed rule's investigation and response guide, filled in with what the data already answers.</p>\n"
            table(
                caption: "Blind windows",
                headers: ["Account", "Why", "From", "Until", "Length", "Opened by", "Authorized", "From IP"],
                rows: report.investigations.map { investigation in
                    let window = investigation.currentWindow
                    return (nil, [
                        link(investigation.account, investigation.anchor), h(investigation.reason.label), h(window?.startText),
                        h(window?.endText), h(window?.durationText), h(window?.openedBy),
                        h(ReportFormatting.authorized(window?.openedByAuthorized)), h(window?.openedFromIP),
                    ])
                })
            for investigation in report.investigations.prefix(limits.detailedInvestigations) {
                out += "<article class=\"investigation\"\(idAttribute(investigation.anchor))><h3>\(h(investigation.reason.label)): \(h(investigation.account))</h3>\n<dl class=\"facts\">"
                out += "<dt>Account key</dt><dd>\(code(investigation.accountKey))</dd>"
                if let anchor = investigation.accountAnchor { out += "<dt>Inventory row</dt><dd>\(link(investigation.account, anchor))</dd>" }
                if !investigation.findingIDs.isEmpty {
                    out += "<dt>Findings</dt><dd>" + investigation.findingIDs.map(findingLink).joined(separator: ", ") + "</dd>"
                }
                for (index, window) in investigation.windows.enumerated() {
                    let opened = window.openedBy.map { " · opened by " + h($0) + " (authorized: \(ReportFormatting.authorized(window.openedByAuthorized)))" } ?? ""
                    let event = window.openedByEventID.map { " · event " + code($0) } ?? ""
                    out += "<dt>Blind window \(index + 1)</dt><dd>\(h(window.startText)) to \(h(window.endText)) (\(h(window.durationText)))\(opened)\(event)</dd>"
                }
                out += "</dl>\n"
                let answered = investigation.checklist.filter { $0.state == .answered }.count
                let partial = investigation.checklist.filter { $0.state == .partial }.count
                out += "<details open><summary>Checklist: \(investigation.checklist.count) steps, \(answered) answered by the data, \(partial) partly, \(investigation.checklist.count - answered - partial) to do</summary><ol class=\"checklist\">"
                for item in investigation.checklist {
                    out += "<li><span class=\"state\">\(item.state.label)</span> <strong>\(h(item.step))</strong>"
                    if let answer = item.answer { out += "<br>\(h(answer))" }
                    out += "</li>"
                }
                out += "</ol></details></article>\n"
            }
            if report.investigations.count > limits.detailedInvestigations {
                moreParagraph(MoreInFile.checklists(report.investigations.count - limits.detailedInvestigations))
            }
            sectionEnd()
        }

        // MARK: Inventory and activity

        mutating func inventory() {
            sectionStart(.inventory)
            guard !report.inventory.isEmpty else {
                out += "<p>No account bypasses mailbox auditing at \(time(report.asOf)).</p>\n"
                sectionEnd()
                return
            }
            out += "<p>Every account whose mailbox activity is not audited at as-of, approved or not; those without a valid written exception first.</p>\n"
            table(
                caption: "Bypassed accounts at \(time(report.asOf)) UTC",
                headers: ["Account", "Status", "Written exception", "Dates", "Bypass since, set by"],
                rows: report.inventory.map { account in
                    var name = "<strong>\(h(account.displayName))</strong>"
                    let otherNames = account.names.filter { $0 != account.displayName }
                    if !otherNames.isEmpty { name += "<br><span class=\"muted\">\(otherNames.prefix(5).map(h).joined(separator: ", "))\(otherNames.count > 5 ? " and \(otherNames.count - 5) more" : "")</span>" }
                    if let guid = account.guid, !account.names.contains(guid) { name += "<br>\(code(guid))" }
                    var status = badge(account.status)
                    if account.reviewOverdue { status += " <span class=\"badge st-warn\">Review overdue</span>" }
                    if !account.missingFields.isEmpty { status += "<br><span class=\"muted\">missing: \(h(account.missingFields.joined(separator: ", ")))</span>" }
                    var exception = ""
                    if let entry = account.entryID {
                        exception = code(entry)
                        if let summary = account.exceptionSummary { exception += " \(h(summary))" }
                        exception += "<br>Owner: \(h(account.owner ?? "—"))<br>Approved by \(h(account.approvedBy ?? "—"))"
                        exception += "<br>Ticket: \(h(account.ticket ?? "—"))"
                        if let justification = account.justification { exception += "<br><span class=\"muted\">\(h(justification))</span>" }
                    } else {
                        exception = "<strong>No register entry</strong>"
                    }
                    var dates = ""
                    if account.entryID != nil {
                        dates = "Approved \(account.approvedOn?.description ?? "—")<br>Reviewed \(account.lastReviewedOn?.description ?? "—")"
                        dates += "<br>Review due \(account.reviewDue?.description ?? "—")<br>Expires \(account.expiresOn?.description ?? "—")"
                    }
                    var since = (account.sinceIsUpperBound ? "at the latest " : "") + time(account.since)
                    if let setBy = account.setBy {
                        since += "<br>by \(h(setBy))" + (account.setByAuthorized == false ? " <span class=\"badge st-fail\">Not authorized</span>" : "")
                    }
                    since += "<br><span class=\"muted\">source: \(account.source.rawValue)</span>"
                    return (account.anchor, [name, status, exception, dates, since])
                })
            sectionEnd()
        }

        mutating func changes() {
            sectionStart(.changes)
            guard !report.changes.isEmpty else {
                out += "<p>No bypass change or attempt in the period.</p>\n"
                sectionEnd()
                return
            }
            let counts = report.summary.changesInPeriod
            out += "<p>\(counts.total) records: \(counts.enabled) enabled, \(counts.reenabled) re-enabled, \(counts.removed) removed, \(ReportFormatting.count(counts.failedAttempts, "failed attempt")), \(counts.indeterminate) unreadable.</p>\n"
            table(
                caption: "Bypass changes and attempts, oldest first",
                headers: ["Time (UTC)", "Change", "Account", "Actor", "Authorized", "Client IP", "Event id"],
                rows: report.changes.prefix(limits.changes).map { change in
                    let kind = change.kind == .enabled || change.kind == .removed || change.kind == .reenabled
                        ? h(change.kind.label) : "<strong>\(h(change.kind.label))</strong>"
                    let authorized = change.actorAuthorized == false ? "<strong>no</strong>" : h(ReportFormatting.authorized(change.actorAuthorized))
                    return (change.anchor, [time(change.time), kind, h(change.account), h(change.actor), authorized, h(change.clientIP), code(change.eventID)])
                })
            more(report.changes.count - limits.changes, "changes", in: CSVReportRenderer.changesFileName)
            sectionEnd()
        }

        mutating func alerts() {
            sectionStart(.alerts)
            let alerts = report.alerts
            out += "<p>\(alerts.total) alerts in the period: \(alerts.open) open, \(alerts.acknowledged) acknowledged.</p>\n"
            if !alerts.items.isEmpty {
                table(
                    caption: "Alerts raised for events in the period",
                    headers: ["Alert", "Event time (UTC)", "Rule", "Severity", "Actor", "Target", "Outcome", "Triage"],
                    rows: alerts.items.prefix(limits.alerts).map { alert in
                        let triage = alert.triageState == .open
                            ? "<span class=\"badge st-warn\">Open</span>"
                            : "<span class=\"badge st-pass\">Acknowledged</span> by \(h(alert.triagedBy)) at \(time(alert.triagedAt))"
                                + (alert.triageNote.map { "<br>\(h($0))" } ?? "")
                        return (alert.anchor, [
                            "#\(alert.id)", time(alert.eventTime), h(alert.ruleName), badge(alert.severity), h(alert.actor), h(alert.target),
                            h(alert.outcome.rawValue), triage,
                        ])
                    })
                more(alerts.items.count - limits.alerts, "alerts", in: CSVReportRenderer.alertsFileName)
            }
            sectionEnd()
        }

        // MARK: History and register

        mutating func comparison() {
            sectionStart(.comparison)
            let comparison = report.comparison
            if let previous = comparison.previous {
                let gap = previous.isImmediatelyPreceding ? "" : " (not the period just before this one: a period has no stored report)"
                out += "<p>Compared with report \(code(previous.reportID)) for \(h(previous.periodLabel)), revision \(previous.revision), generated \(time(previous.generatedAt)) UTC\(h(gap)).</p>\n"
                let newItems = comparison.newFindings.map { "\(badge($0.severity)) \(findingLink($0.id))" }.joined(separator: "<br>")
                let resolvedItems = comparison.resolvedFindings.map { "\(badge($0.severity)) \(code($0.id))" }.joined(separator: "<br>")
                let persistingItems = comparison.persistingFindings.map { "\(badge($0.severity)) \(findingLink($0.id))" }.joined(separator: "<br>")
                let addedItems = comparison.accountsAdded.map { account -> String in
                    guard let anchor = account.anchor else { return h(account.name) }
                    return link(account.name, anchor)
                }.joined(separator: "<br>")
                let removedItems = comparison.accountsRemoved.map { h($0.name) }.joined(separator: "<br>")
                let rows: [(id: String?, cells: [String])] = [
                    (nil, ["New findings", "\(comparison.newFindings.count)", newItems]),
                    (nil, ["Resolved findings", "\(comparison.resolvedFindings.count)", resolvedItems]),
                    (nil, ["Persisting findings", "\(comparison.persistingFindings.count)", persistingItems]),
                    (nil, ["Accounts added", "\(comparison.accountsAdded.count)", addedItems]),
                    (nil, ["Accounts removed", "\(comparison.accountsRemoved.count)", removedItems]),
                ]
                table(caption: "Changes since the previous report", headers: ["What", "Count", "Items"], rows: rows, numeric: [1])
            } else {
                out += "<p>No earlier report is stored for this tenant: everything here is new.</p>\n"
            }
            out += "<h3\(idAttribute("trend"))>Trend over the last \(report.trend.count) periods</h3>\n"
            out += "<figure>\(TrendChartSVG.render(report.trend))<figcaption>Bypassed accounts and findings by severity per period; the numbers are in the table below.</figcaption></figure>\n"
            table(
                caption: "Trend data", headers: ["Period", "Bypassed accounts", "Critical", "High", "Medium", "Low", "Info", "Total findings"],
                rows: report.trend.map { point in
                    (nil, [
                        h(point.periodLabel) + (point.isCurrent ? " (this report)" : ""), "\(point.bypassedAccounts)", "\(point.findings.critical)",
                        "\(point.findings.high)", "\(point.findings.medium)", "\(point.findings.low)", "\(point.findings.info)", "\(point.findings.total)",
                    ])
                }, numeric: [1, 2, 3, 4, 5, 6, 7])
            sectionEnd()
        }

        mutating func allowlistHealth() {
            sectionStart(.allowlistHealth)
            let health = report.allowlistHealth
            let admins = health.authorizedAdmins.isEmpty
                ? "not restricted (authorized_admins is empty, so actors are not checked)"
                : health.authorizedAdmins.map(h).joined(separator: ", ")
            out += "<dl class=\"facts\"><dt>Register</dt><dd>\(code(health.path)) · SHA-256 \(code(health.sha256))</dd>"
            out += "<dt>Entries</dt><dd>\(health.entries); review every \(health.reviewIntervalDays) days; warn \(health.expiryWarningDays) days before expiry</dd>"
            out += "<dt>Authorized admins</dt><dd>\(admins)</dd></dl>\n"
            dateNotices("Approvals expiring soon", health.expiringSoon, dateTitle: "Expires", daysTitle: "Days left")
            dateNotices("Expired approvals", health.expired, dateTitle: "Expired on", daysTitle: "Days since")
            dateNotices("Reviews overdue", health.reviewsOverdue, dateTitle: "Review was due", daysTitle: "Days overdue")
            entryNotices("Stale entries: approved, but the account has no bypass (remove if no longer needed)", health.stale, showMissing: false)
            entryNotices("Incomplete entries", health.incomplete, showMissing: true)
            if health.edits.isEmpty {
                out += "<p>No edit through the tool in the period.</p>\n"
            } else {
                table(
                    caption: "Edits in the period (edit log)", headers: ["When (UTC)", "By", "Action", "Entry", "What", "Why"],
                    rows: health.edits.prefix(limits.registerRows).map { edit in
                        (nil, [time(edit.at), h(edit.by), h(edit.action.rawValue), code(edit.entryID), h(edit.summary), h(edit.reason)])
                    })
                more(health.edits.count - limits.registerRows, "edits")
            }
            if health.versionChanges.isEmpty {
                out += "<p>The register did not change between runs in the period.</p>\n"
            } else {
                table(
                    caption: "Register versions seen in the period (direct edits in git included)",
                    headers: ["Seen (UTC)", "Entry", "Change", "How", "From", "To"],
                    rows: health.versionChanges.prefix(limits.registerRows).map { change in
                        (nil, [
                            time(change.seenAt), code(change.entryID), h(change.kind.rawValue + (change.fields.isEmpty ? "" : " (\(change.fields.joined(separator: ", ")))")),
                            change.direct ? "<span class=\"badge st-warn\">Direct edit</span> not in the edit log" : "through the tool",
                            code(change.fromSHA256.map { String($0.prefix(12)) }), code(String(change.toSHA256.prefix(12))),
                        ])
                    })
                more(health.versionChanges.count - limits.registerRows, "register changes")
            }
            sectionEnd()
        }

        private mutating func dateNotices(_ caption: String, _ notices: [EntryDateNotice], dateTitle: String, daysTitle: String) {
            guard !notices.isEmpty else {
                out += "<p>\(caption): none.</p>\n"
                return
            }
            table(
                caption: caption, headers: ["Entry", "Account", dateTitle, daysTitle, "Finding"],
                rows: notices.prefix(limits.registerRows).map { notice in
                    (nil, [code(notice.entryID), h(notice.account), notice.date.description, "\(abs(notice.daysFromAsOf))", notice.findingID.map(findingLink) ?? ""])
                }, numeric: [3])
            more(notices.count - limits.registerRows, "entries")
        }

        private mutating func entryNotices(_ caption: String, _ notices: [EntryNotice], showMissing: Bool) {
            guard !notices.isEmpty else {
                out += "<p>\(caption): none.</p>\n"
                return
            }
            table(
                caption: caption, headers: showMissing ? ["Entry", "Account", "Missing", "Finding"] : ["Entry", "Account", "Finding"],
                rows: notices.prefix(limits.registerRows).map { notice in
                    let finding = notice.findingID.map(findingLink) ?? ""
                    return (nil, showMissing
                        ? [code(notice.entryID), h(notice.account), h(notice.missingFields.joined(separator: ", ")), finding]
                        : [code(notice.entryID), h(notice.account), finding])
                })
            more(notices.count - limits.registerRows, "entries")
        }

        // MARK: Remediation, coverage, compliance, provenance

        mutating func remediation() {
            sectionStart(.remediation)
            let commands = report.remediation.commands
            if commands.isEmpty {
                out += "<p>Nothing to remove: every bypassed account has a valid written exception. \(code(report.remediation.fileName)) says so too.</p>\n"
            } else {
                out += "<p>\(code(report.remediation.fileName)) in this folder removes the \(ReportFormatting.count(commands.count, "bypass", "bypasses")) below: only unapproved and expired ones, never an approved one. Preview it first with <code>-WhatIf</code> (instructions at the top of the script).</p>\n"
                out += "<pre><code>" + commands.map { h($0.line) }.joined(separator: "\n") + "</code></pre>\n"
                let manual = commands.filter(\.needsManualAction).count
                if manual > 0 {
                    out += "<p><strong>\(ReportFormatting.count(manual, "account")) need manual action:</strong> the name holds hidden characters and no GUID is known.</p>\n"
                }
            }
            sectionEnd()
        }

        mutating func coverage() {
            sectionStart(.coverage)
            let coverage = report.coverage
            let gaps = coverage.gaps.isEmpty ? "none" : coverage.gaps.map(\.description).joined(separator: ", ")
            out += "<p>\(coverage.daysWithData) of \(coverage.days.count) days have audit data. Days without any record (absence of events there proves nothing): <strong>\(h(gaps))</strong>.</p>\n"
            out += "<details open><summary>Audit records per day (\(coverage.days.count) days)</summary>\n"
            table(
                caption: "Audit records ingested per UTC day", headers: ["Day", "Audit records"],
                rows: coverage.days.map { day in
                    (nil, [day.day.description, day.records == 0 ? "<strong>0 (no data)</strong>" : "\(day.records)"])
                }, numeric: [1])
            out += "</details>\n"
            if coverage.snapshots.isEmpty {
                out += "<p>No Get-MailboxAuditBypassAssociation snapshot was imported up to as-of: the inventory rests on the logs alone.</p>\n"
            } else {
                table(
                    caption: "Snapshots used", headers: ["Snapshot", "Taken (UTC)", "Role", "File", "SHA-256", "Rows", "Complete"],
                    rows: coverage.snapshots.map { snapshot in
                        (nil, [
                            "#\(snapshot.id)", time(snapshot.takenAt) + (snapshot.takenAtGiven ? "" : " (import time)"),
                            snapshot.baseline ? "baseline before the period" : "in the period", h(snapshot.fileName),
                            code(String(snapshot.sha256.prefix(16))), "\(snapshot.rows)", snapshot.complete ? "yes" : "no",
                        ])
                    }, numeric: [5])
            }
            sectionEnd()
        }

        mutating func compliance() {
            sectionStart(.compliance)
            table(
                caption: "Frameworks this report is evidence for", headers: ["Requirement", "Title", "Status", "Basis", "Why this report applies"],
                rows: report.compliance.map { mapping in
                    (mapping.id, [
                        "\(h(mapping.framework)) <a href=\"\(h(mapping.url))\">\(h(mapping.identifier))</a>", h(mapping.title), badge(mapping.status),
                        h(mapping.basis) + (mapping.findingIDs.isEmpty ? "" : " <span class=\"muted\">(\(ReportFormatting.count(mapping.findingIDs.count, "finding")))</span>"),
                        h(mapping.relevance),
                    ])
                })
            sectionEnd()
        }

        mutating func provenance() {
            sectionStart(.provenance)
            let provenance = report.provenance
            out += "<dl class=\"facts\">"
            out += "<dt>Report id</dt><dd>\(code(provenance.reportID)) (revision \(provenance.revision))</dd>"
            out += "<dt>Tool</dt><dd>bypass-auditor \(h(provenance.toolVersion))</dd>"
            out += "<dt>Generated</dt><dd>\(time(provenance.generatedAt)) (\(h(provenance.timeZone)); every time in this report is UTC)</dd>"
            out += "<dt>History hash-chain head</dt><dd>\(code(provenance.chainHead)) <span class=\"muted\">check a later database with <code>bypass-auditor verify --expect-head</code></span></dd>"
            out += "<dt>Allowlist</dt><dd>\(code(provenance.allowlistPath)) SHA-256 \(code(provenance.allowlistSHA256))</dd>"
            out += "<dt>Rule set digest</dt><dd>\(code(provenance.ruleSetDigest))</dd>"
            if !provenance.detectionRuleSetDigests.isEmpty {
                out += "<dt>Rule sets that ran</dt><dd>" + provenance.detectionRuleSetDigests.map(code).joined(separator: "<br>")
                    + " <span class=\"muted\">(digests of the detection runs over the period)</span></dd>"
            }
            for rule in provenance.ruleFiles {
                out += "<dt>Rule file</dt><dd>\(code(rule.path)) SHA-256 \(code(rule.sha256))</dd>"
            }
            out += "<dt>Manifest</dt><dd>\(code(provenance.manifest)) lists the SHA-256 of every file in this folder: <code>sha256sum -c \(provenance.manifest)</code></dd>"
            out += "</dl>\n"
            sectionEnd()
        }
    }
}
