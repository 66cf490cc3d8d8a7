import Core
import Drift
import Foundation

/// `report.md`: the report as GitHub-flavoured Markdown, for reading in a repository, a ticket or an e-mail.
///
/// Every string from the data goes through `MarkdownEscaping`, so account names and actors can neither add
/// markup, links or HTML nor break a table; anchors (`<a id>`) match the HTML report's.
public enum MarkdownReportRenderer {
    public static let fileName = "report.md"

    public static func render(_ report: Report, limits: ReportRenderingLimits = .standard) -> String {
        var renderer = Renderer(report: report, limits: limits)
        renderer.document()
        return renderer.writer.text
    }

    private struct Renderer {
        let report: Report
        let limits: ReportRenderingLimits
        var writer = MarkdownWriter()

        init(report: Report, limits: ReportRenderingLimits) {
            self.report = report
            self.limits = limits
        }

        private func e(_ text: String?) -> String { text.map(MarkdownEscaping.escape) ?? "" }
        private func code(_ text: String?) -> String { text.map(MarkdownEscaping.code) ?? "" }
        private func time(_ date: Date?) -> String { date.map(ReportFormatting.time) ?? "" }
        private func link(_ text: String, _ anchor: String) -> String { "[\(MarkdownEscaping.escape(text))](#\(anchor))" }
        private func findingLink(_ id: String) -> String {
            link(id, ReportAnchor.finding(id))
        }
        private func severity(_ value: Severity) -> String { value >= .medium ? "**\(value.label)**" : value.label }
        private func status(_ value: ControlStatus) -> String { value == .pass ? value.label : "**\(value.label.uppercased())**" }

        mutating func document() {
            header()
            contents()
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
        }

        // MARK: Top

        mutating func header() {
            writer.heading(1, "Mailbox audit bypass report: \(e(report.periodLabel))", anchor: "top")
            writer.paragraph("**Verdict: \(report.summary.verdict.label).** \(e(report.summary.verdictSentence))")
            writer.table(
                ["Tenant", "Period", "As of (UTC)", "Generated (UTC)", "Report id", "Revision"],
                [[
                    code(report.tenant.reportText), "\(report.period.firstDay) to \(report.period.lastDay)", time(report.asOf),
                    time(report.generatedAt), code(report.id), "\(report.revision)",
                ]])
            let counts = report.summary.findingsBySeverity
            writer.table(
                ["Findings", "Critical", "High", "Medium", "Low", "Info", "Total"],
                [["by severity", "\(counts.critical)", "\(counts.high)", "\(counts.medium)", "\(counts.low)", "\(counts.info)", "\(counts.total)"]])
            let controls = report.summary.controlsByStatus
            let accounts = report.summary.accountsByStatus
            writer.table(
                ["Controls", "Pass", "Warn", "Fail", "Bypassed accounts", "Unapproved", "Expired", "Expiring soon", "Approved"],
                [[
                    "FP-1 to FP-5", "\(controls.pass)", "\(controls.warn)", "\(controls.fail)", "\(report.summary.bypassedAccounts)",
                    "\(accounts.unapproved)", "\(accounts.expired)", "\(accounts.expiringSoon)", "\(accounts.approved)",
                ]])
        }

        mutating func contents() {
            writer.heading(2, "Contents")
            writer.bullets(ReportSection.allCases.map { "[\($0.title)](#\($0.anchor))" })
        }

        mutating func summary() {
            writer.heading(2, ReportSection.summary.title, anchor: ReportSection.summary.anchor)
            let changes = report.summary.changesInPeriod
            writer.paragraph(
                "In the period: \(changes.enabled) enabled, \(changes.reenabled) re-enabled, \(changes.removed) removed, \(ReportFormatting.count(changes.failedAttempts, "failed attempt")), \(changes.indeterminate) unreadable; \(ReportFormatting.count(report.summary.alertsInPeriod, "alert")) (\(report.summary.openAlerts) open); \(report.summary.daysWithoutData) days without audit data.")
            writer.table(
                ["Control", "Practice (seed rule)", "Status", "Reason", "Findings"],
                report.summary.controls.map { control in
                    [
                        "<a id=\"\(control.anchor)\"></a>\(control.id.rawValue)", e(control.title), status(control.status),
                        e(control.reason), control.findingIDs.prefix(10).map(findingLink).joined(separator: ", ")
                            + (control.findingIDs.count > 10 ? " and \(control.findingIDs.count - 10) more" : ""),
                    ]
                })
        }

        // MARK: Findings

        mutating func findings() {
            writer.heading(2, ReportSection.findings.title, anchor: ReportSection.findings.anchor)
            guard !report.findings.isEmpty else {
                writer.paragraph("No findings.")
                return
            }
            writer.table(
                ["Severity", "Finding", "What is wrong", "Account", "Since last report"],
                report.findings.enumerated().map { index, finding in
                    let id = index < limits.detailedFindings ? findingLink(finding.id) : "<a id=\"\(finding.anchor)\"></a>\(code(finding.id))"
                    return [severity(finding.severity), id, e(finding.title), e(finding.subject), finding.sinceLastReport?.label ?? ""]
                })
            if report.findings.count > limits.detailedFindings {
                writer.paragraph(e(MoreInFile.text(report.findings.count - limits.detailedFindings, "findings' details (evidence, action)", in: CSVReportRenderer.findingsFileName)))
            }
            for finding in report.findings.prefix(limits.detailedFindings) {
                writer.heading(3, "\(finding.severity.label): \(e(finding.title))", anchor: finding.anchor)
                var items = [
                    "**Id:** \(code(finding.id))",
                    "**Severity:** \(finding.severity.label)",
                ]
                if let account = finding.account {
                    let names = finding.names.isEmpty ? "" : " (names: \(finding.names.map(e).joined(separator: ", ")))"
                    items.append("**Account:** \(e(account))\(names)")
                }
                if let entry = finding.entryID { items.append("**Register entry:** \(code(entry))") }
                items.append("**What is wrong:** \(e(finding.detail))")
                items.append("**Recommended action:** \(e(finding.action))")
                items.append("**References:** " + finding.references.map { id in link(referenceTitle(id), id) }.joined(separator: ", "))
                if !finding.controls.isEmpty {
                    items.append("**Controls:** " + finding.controls.map { link($0.rawValue, ReportAnchor.control($0)) }.joined(separator: ", "))
                }
                if let trend = finding.sinceLastReport { items.append("**Since last report:** \(trend.label)") }
                writer.bullets(items)
                if !finding.evidence.isEmpty {
                    writer.paragraph("Evidence (\(finding.evidence.count)):")
                    var evidence = finding.evidence.prefix(limits.evidencePerFinding).map { e($0.plainText) }
                    if finding.evidence.count > limits.evidencePerFinding {
                        evidence.append(e(MoreInFile.text(finding.evidence.count - limits.evidencePerFinding, "evidence items", in: CSVReportRenderer.findingsFileName)))
                    }
                    writer.bullets(evidence)
                }
            }
        }

        private func referenceTitle(_ id: String) -> String {
            report.compliance.first { $0.id == id }.map { "\($0.framework) \($0.identifier)" } ?? id
        }

        // MARK: Investigations

        mutating func investigations() {
            writer.heading(2, ReportSection.investigations.title, anchor: ReportSection.investigations.anchor)
            guard !report.investigations.isEmpty else {
                writer.paragraph("No account was bypassed without a valid approval in the period.")
                return
            }
            writer.paragraph("Each account whose mailbox activity went unaudited without a valid written exception: when auditing stopped, until when, and who opened the window.")
            writer.table(
                ["Account", "Why", "Blind window from", "Until", "Length", "Opened by", "Authorized", "From IP"],
                report.investigations.map { investigation in
                    let window = investigation.currentWindow
                    return [
                        link(investigation.account, investigation.anchor), investigation.reason.label, e(window?.startText),
                        e(window?.endText), window?.durationText ?? "", e(window?.openedBy),
                        ReportFormatting.authorized(window?.openedByAuthorized), e(window?.openedFromIP),
                    ]
                })
            for investigation in report.investigations.prefix(limits.detailedInvestigations) {
                writer.heading(3, "\(investigation.reason.label): \(e(investigation.account))", anchor: investigation.anchor)
                var facts = ["**Account key:** \(code(investigation.accountKey))"]
                if let anchor = investigation.accountAnchor { facts.append("**Inventory row:** [\(e(investigation.account))](#\(anchor))") }
                if !investigation.findingIDs.isEmpty { facts.append("**Findings:** " + investigation.findingIDs.map(findingLink).joined(separator: ", ")) }
                for (index, window) in investigation.windows.enumerated() {
                    let opened = window.openedBy.map { " by \(e($0))" } ?? ""
                    let event = window.openedByEventID.map { ", event \(code($0))" } ?? ""
                    facts.append("**Blind window \(index + 1):** \(e(window.startText)) to \(e(window.endText)) (\(window.durationText))\(opened)\(event)")
                }
                writer.bullets(facts)
                writer.bullets(investigation.checklist.map { item in
                    let box = item.state == .answered ? "[x]" : "[ ]"
                    let answer = item.answer.map { " — \(e($0))" } ?? ""
                    return "\(box) **\(e(item.step))** _\(item.state.label)_\(answer)"
                })
            }
            if report.investigations.count > limits.detailedInvestigations {
                writer.paragraph(e(MoreInFile.checklists(report.investigations.count - limits.detailedInvestigations)))
            }
        }

        // MARK: Inventory and activity

        mutating func inventory() {
            writer.heading(2, ReportSection.inventory.title, anchor: ReportSection.inventory.anchor)
            guard !report.inventory.isEmpty else {
                writer.paragraph("No account bypasses mailbox auditing at \(time(report.asOf)).")
                return
            }
            writer.table(
                [
                    "Account", "Status", "Review", "Entry", "Category", "Owner", "Approved by", "Approved on", "Ticket",
                    "Justification", "Last review", "Expires", "Since", "Set by",
                ],
                report.inventory.map { account in
                    [
                        "<a id=\"\(account.anchor)\"></a>\(e(account.displayName))", account.status.isViolation ? "**\(account.status.label)**" : account.status.label,
                        account.reviewOverdue ? "**Overdue** (due \(account.reviewDue?.description ?? "?"))" : (account.reviewDue.map { "due \($0)" } ?? ""),
                        code(account.entryID), e(account.exceptionSummary), e(account.owner), e(account.approvedBy),
                        account.approvedOn?.description ?? "", e(account.ticket), e(account.justification),
                        account.lastReviewedOn?.description ?? "", account.expiresOn?.description ?? "",
                        (account.sinceIsUpperBound ? "at the latest " : "") + time(account.since),
                        e(account.setBy) + (account.setByAuthorized == false ? " (not authorized)" : ""),
                    ]
                })
        }

        mutating func changes() {
            writer.heading(2, ReportSection.changes.title, anchor: ReportSection.changes.anchor)
            guard !report.changes.isEmpty else {
                writer.paragraph("No bypass change or attempt in the period.")
                return
            }
            writer.table(
                ["Time (UTC)", "Change", "Account", "Actor", "Authorized", "Client IP", "Event id"],
                report.changes.prefix(limits.changes).map { change in
                    [
                        time(change.time), change.kind.label, e(change.account), e(change.actor),
                        ReportFormatting.authorized(change.actorAuthorized), e(change.clientIP), code(change.eventID),
                    ]
                })
            if report.changes.count > limits.changes {
                writer.paragraph(e(MoreInFile.text(report.changes.count - limits.changes, "changes", in: CSVReportRenderer.changesFileName)))
            }
        }

        mutating func alerts() {
            writer.heading(2, ReportSection.alerts.title, anchor: ReportSection.alerts.anchor)
            let alerts = report.alerts
            writer.paragraph("\(alerts.total) alerts in the period: \(alerts.open) open, \(alerts.acknowledged) acknowledged.")
            guard !alerts.items.isEmpty else { return }
            writer.table(
                ["Alert", "Event time (UTC)", "Rule", "Severity", "Actor", "Target", "Outcome", "Triage"],
                alerts.items.prefix(limits.alerts).map { alert in
                    let triage = alert.triageState == .open
                        ? "**Open**"
                        : "Acknowledged by \(e(alert.triagedBy)) at \(time(alert.triagedAt))" + (alert.triageNote.map { ": \(e($0))" } ?? "")
                    return [
                        "<a id=\"\(alert.anchor)\"></a>#\(alert.id)", time(alert.eventTime), e(alert.ruleName), severity(alert.severity),
                        e(alert.actor), e(alert.target), alert.outcome.rawValue, triage,
                    ]
                })
            if alerts.items.count > limits.alerts {
                writer.paragraph(e(MoreInFile.text(alerts.items.count - limits.alerts, "alerts", in: CSVReportRenderer.alertsFileName)))
            }
        }

        // MARK: History and register

        mutating func comparison() {
            writer.heading(2, ReportSection.comparison.title, anchor: ReportSection.comparison.anchor)
            let comparison = report.comparison
            if let previous = comparison.previous {
                let gap = previous.isImmediatelyPreceding ? "" : " (not the period just before this one: a period has no stored report)"
                writer.paragraph("Compared with report \(code(previous.reportID)) for \(e(previous.periodLabel)), revision \(previous.revision), generated \(time(previous.generatedAt))\(gap).")
                writer.table(
                    ["New findings", "Resolved findings", "Persisting findings", "Accounts added", "Accounts removed"],
                    [[
                        "\(comparison.newFindings.count)", "\(comparison.resolvedFindings.count)", "\(comparison.persistingFindings.count)",
                        "\(comparison.accountsAdded.count)", "\(comparison.accountsRemoved.count)",
                    ]])
                let lists: [(String, [String])] = [
                    ("New findings", comparison.newFindings.map { "\($0.severity.label): \(findingLink($0.id))" }),
                    ("Resolved findings", comparison.resolvedFindings.map { "\($0.severity.label): \(code($0.id))" }),
                    ("Persisting findings", comparison.persistingFindings.map { "\($0.severity.label): \(findingLink($0.id))" }),
                    ("Accounts added", comparison.accountsAdded.map { account in account.anchor.map { link(account.name, $0) } ?? e(account.name) }),
                    ("Accounts removed", comparison.accountsRemoved.map { e($0.name) }),
                ]
                for (title, items) in lists where !items.isEmpty {
                    writer.paragraph("\(title):")
                    writer.bullets(items)
                }
            } else {
                writer.paragraph("No earlier report is stored for this tenant: everything here is new.")
            }
            writer.heading(3, "Trend over the last \(report.trend.count) periods", anchor: "trend")
            writer.table(
                ["Period", "Bypassed accounts", "Critical", "High", "Medium", "Low", "Info", "Total findings"],
                report.trend.map { point in
                    [
                        e(point.periodLabel) + (point.isCurrent ? " (this report)" : ""), "\(point.bypassedAccounts)",
                        "\(point.findings.critical)", "\(point.findings.high)", "\(point.findings.medium)", "\(point.findings.low)",
                        "\(point.findings.info)", "\(point.findings.total)",
                    ]
                })
        }

        mutating func allowlistHealth() {
            writer.heading(2, ReportSection.allowlistHealth.title, anchor: ReportSection.allowlistHealth.anchor)
            let health = report.allowlistHealth
            let admins = health.authorizedAdmins.isEmpty
                ? "not restricted (authorized_admins is empty)" : health.authorizedAdmins.map(e).joined(separator: ", ")
            writer.bullets([
                "**Register:** \(code(health.path)) (SHA-256 \(code(health.sha256)))",
                "**Entries:** \(health.entries); review every \(health.reviewIntervalDays) days; warn \(health.expiryWarningDays) days before expiry",
                "**Authorized admins:** \(admins)",
            ])
            dateNotices("Expiring soon", health.expiringSoon, dateTitle: "Expires", daysTitle: "Days left")
            dateNotices("Expired", health.expired, dateTitle: "Expired on", daysTitle: "Days since")
            dateNotices("Reviews overdue", health.reviewsOverdue, dateTitle: "Review was due", daysTitle: "Days overdue")
            entryNotices("Stale entries (approved, but the account has no bypass)", health.stale, showMissing: false)
            entryNotices("Incomplete entries", health.incomplete, showMissing: true)
            writer.heading(3, "Edits in the period (edit log)")
            if health.edits.isEmpty {
                writer.paragraph("No edit through the tool in the period.")
            } else {
                writer.table(
                    ["When (UTC)", "By", "Action", "Entry", "What", "Why"],
                    health.edits.prefix(limits.registerRows).map { edit in
                        [time(edit.at), e(edit.by), edit.action.rawValue, code(edit.entryID), e(edit.summary), e(edit.reason)]
                    })
                more(health.edits.count - limits.registerRows, "edits")
            }
            writer.heading(3, "Register versions seen in the period")
            if health.versionChanges.isEmpty {
                writer.paragraph("The register did not change between runs in the period.")
            } else {
                writer.table(
                    ["Seen (UTC)", "Entry", "Change", "How", "From", "To"],
                    health.versionChanges.prefix(limits.registerRows).map { change in
                        [
                            time(change.seenAt), code(change.entryID), e(change.kind.rawValue + (change.fields.isEmpty ? "" : " (\(change.fields.joined(separator: ", ")))")),
                            change.direct ? "**direct edit** (not in the edit log)" : "through the tool",
                            code(change.fromSHA256.map { String($0.prefix(12)) }), code(String(change.toSHA256.prefix(12))),
                        ]
                    })
                more(health.versionChanges.count - limits.registerRows, "register changes")
            }
        }

        private mutating func dateNotices(_ title: String, _ notices: [EntryDateNotice], dateTitle: String, daysTitle: String) {
            writer.heading(3, title)
            guard !notices.isEmpty else {
                writer.paragraph("None.")
                return
            }
            writer.table(
                ["Entry", "Account", dateTitle, daysTitle, "Finding"],
                notices.prefix(limits.registerRows).map { notice in
                    [code(notice.entryID), e(notice.account), notice.date.description, "\(abs(notice.daysFromAsOf))", notice.findingID.map(findingLink) ?? ""]
                })
            more(notices.count - limits.registerRows, "entries")
        }

        private mutating func entryNotices(_ title: String, _ notices: [EntryNotice], showMissing: Bool) {
            writer.heading(3, title)
            guard !notices.isEmpty else {
                writer.paragraph("None.")
                return
            }
            writer.table(
                showMissing ? ["Entry", "Account", "Missing", "Finding"] : ["Entry", "Account", "Finding"],
                notices.prefix(limits.registerRows).map { notice in
                    let finding = notice.findingID.map(findingLink) ?? ""
                    return showMissing
                        ? [code(notice.entryID), e(notice.account), notice.missingFields.joined(separator: ", "), finding]
                        : [code(notice.entryID), e(notice.account), finding]
                })
            more(notices.count - limits.registerRows, "entries")
        }

        /// Ends a cut register table (the register's rows are all in report.json).
        private mutating func more(_ hidden: Int, _ what: String) {
            guard hidden > 0 else { return }
            writer.paragraph(e(MoreInFile.text(hidden, what, in: JSONReportRenderer.fileName)))
        }

        // MARK: Remediation, coverage, compliance, provenance

        mutating func remediation() {
            writer.heading(2, ReportSection.remediation.title, anchor: ReportSection.remediation.anchor)
            let commands = report.remediation.commands
            guard !commands.isEmpty else {
                writer.paragraph("Nothing to remove: every bypassed account has a valid written exception. \(code(report.remediation.fileName)) says so too.")
                return
            }
            writer.paragraph(
                "\(code(report.remediation.fileName)) in this folder removes the \(ReportFormatting.count(commands.count, "bypass", "bypasses")) below: only unapproved and expired ones, never an approved one. Preview it first with `-WhatIf` (instructions at the top of the script).")
            writer.codeBlock(commands.map(\.line), language: "powershell")
            let manual = commands.filter(\.needsManualAction)
            if !manual.isEmpty {
                writer.paragraph("**\(ReportFormatting.count(manual.count, "account")) need manual action:** the name holds hidden characters and no GUID is known.")
            }
        }

        mutating func coverage() {
            writer.heading(2, ReportSection.coverage.title, anchor: ReportSection.coverage.anchor)
            let coverage = report.coverage
            let gaps = coverage.gaps.isEmpty ? "none" : coverage.gaps.map(\.description).joined(separator: ", ")
            writer.paragraph(
                "\(coverage.daysWithData) of \(coverage.days.count) days have audit data. Days without any record (absence of events there proves nothing): \(gaps).")
            writer.table(
                ["Day", "Audit records"],
                coverage.days.map { [$0.day.description, $0.records == 0 ? "**0 (no data)**" : "\($0.records)"] })
            writer.heading(3, "Snapshots used")
            if coverage.snapshots.isEmpty {
                writer.paragraph("No Get-MailboxAuditBypassAssociation snapshot was imported up to as-of: the inventory rests on the logs alone.")
            } else {
                writer.table(
                    ["Snapshot", "Taken (UTC)", "Role", "File", "SHA-256", "Rows", "Complete"],
                    coverage.snapshots.map { snapshot in
                        [
                            "#\(snapshot.id)", time(snapshot.takenAt) + (snapshot.takenAtGiven ? "" : " (import time)"),
                            snapshot.baseline ? "baseline before the period" : "in the period", e(snapshot.fileName),
                            code(String(snapshot.sha256.prefix(16))), "\(snapshot.rows)", snapshot.complete ? "yes" : "no",
                        ]
                    })
            }
        }

        mutating func compliance() {
            writer.heading(2, ReportSection.compliance.title, anchor: ReportSection.compliance.anchor)
            writer.table(
                ["Framework", "Id", "Title", "Status", "Basis", "Findings"],
                report.compliance.map { mapping in
                    [
                        "<a id=\"\(mapping.id)\"></a>\(e(mapping.framework))", e(mapping.identifier), e(mapping.title),
                        mapping.status == .fail || mapping.status == .warn ? "**\(mapping.status.label.uppercased())**" : mapping.status.label,
                        e(mapping.basis), "\(mapping.findingIDs.count)",
                    ]
                })
            writer.bullets(report.compliance.map { "\(e($0.framework)) \(e($0.identifier)): \(e($0.relevance)) <\($0.url)>" })
        }

        mutating func provenance() {
            writer.heading(2, ReportSection.provenance.title, anchor: ReportSection.provenance.anchor)
            let provenance = report.provenance
            var items = [
                "**Report id:** \(code(provenance.reportID)) (revision \(provenance.revision))",
                "**Tool:** bypass-auditor \(e(provenance.toolVersion))",
                "**Generated:** \(time(provenance.generatedAt)) (\(provenance.timeZone); every time in this report is UTC)",
                "**History hash chain head:** \(code(provenance.chainHead)) (check a later database with `bypass-auditor verify --expect-head`)",
                "**Allowlist:** \(code(provenance.allowlistPath)) SHA-256 \(code(provenance.allowlistSHA256))",
                "**Rule set digest:** \(code(provenance.ruleSetDigest))",
            ]
            if !provenance.detectionRuleSetDigests.isEmpty {
                items.append("**Rule sets that ran over the period:** " + provenance.detectionRuleSetDigests.map(code).joined(separator: ", "))
            }
            items += provenance.ruleFiles.map { "**Rule file** \(code($0.path)): SHA-256 \(code($0.sha256))" }
            items.append("**Manifest:** \(code(provenance.manifest)) lists the SHA-256 of every file in this folder; check with `sha256sum -c \(provenance.manifest)`.")
            writer.bullets(items)
        }
    }
}
