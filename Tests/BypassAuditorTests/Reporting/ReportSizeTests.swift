import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Drift
@testable import Inventory
@testable import Policy
@testable import Reporting

/// Generated tenants at the sizes of the targets (shared/notes/targets.md): a typical tenant, and the scale data
/// (10,000 bypassed accounts, 200,000 bypass changes, a 5,000-entry register).
enum ScaleSamples {
    static func inputs(accounts count: Int, changesPerAccount: Int, approved: Int, entriesTotal: Int) -> ReportInputs {
        let tenant = ReportSamples.tenant
        let start = ReportSamples.period.start
        var accounts: [InventoryAccount] = []
        var findings: [Finding] = []
        var entries: [AllowlistEntry] = []
        accounts.reserveCapacity(count)
        for index in 0..<count {
            let name = "user\(index)@contoso.com"
            let guid = String(format: "%08x-1b2c-4d5e-8f90-a1b2c3d4e5f6", index)
            let actor = index % 2 == 0 ? ReportSamples.admin : "helper\(index % 50)@contoso.com"
            // Alternating enables and removals through the month, ending enabled.
            let changes = (0..<changesPerAccount).map { step -> BypassChange in
                let enable = (changesPerAccount - step) % 2 == 1
                return BypassChange(
                    eventID: "evt-\(index)-\(step)", time: start.addingTimeInterval(Double(step) * 3_600 + Double(index)), tenant: tenant,
                    actor: actor, clientIP: "198.51.100.\(index % 250)", identity: name, objectID: nil,
                    direction: enable ? .enabled : .removed, outcome: .success, originalStatus: "Succeeded",
                    kind: enable ? (step == 0 ? .enabled : .reenabled) : .removed)
            }
            accounts.append(
                InventoryAccount(
                    id: AccountID(tenant: tenant, key: "guid:\(guid)"), displayName: name, exchangeName: name, guid: guid,
                    names: [name, guid], bypassEnabled: true, since: changes.last?.time, setBy: actor, lastEventID: changes.last?.eventID,
                    source: .events, changes: changes, attempts: [], snapshotObservations: []))
            if index < approved {
                entries.append(
                    AllowlistEntry(
                        id: String(format: "AB-%05d", index), account: name, category: .thirdPartyTool, tool: "Backup tool",
                        owner: "owner@contoso.com", justification: "Backup.", approvedBy: "ciso@contoso.com",
                        approvedOn: UTCDay("2026-01-01"), ticket: "CHG-\(index)", lastReviewedOn: UTCDay("2026-09-01"),
                        expiresOn: UTCDay("2027-06-01")))
            } else {
                findings.append(
                    Finding(
                        id: "unapproved-bypass:guid:\(guid)", kind: .unapprovedBypass, severity: .high, tenant: tenant, account: "guid:\(guid)",
                        names: [name, guid], entryID: nil, detail: "\(name) bypasses mailbox auditing with no register entry.",
                        evidence: changes.suffix(3).map { Evidence(kind: .event, reference: $0.eventID, time: $0.time) },
                        action: "Remove the bypass or add a register entry."))
            }
        }
        for index in approved..<max(approved, entriesTotal) {
            entries.append(
                AllowlistEntry(
                    id: String(format: "AB-%05d", index + count), account: "retired\(index)@contoso.com", category: .thirdPartyTool,
                    tool: "Old tool", owner: "owner@contoso.com", justification: "Retired.", approvedBy: "ciso@contoso.com",
                    approvedOn: UTCDay("2026-01-01"), ticket: "CHG-x", lastReviewedOn: UTCDay("2026-09-01"), expiresOn: UTCDay("2027-06-01")))
        }
        var inputs = ReportSamples.inputs(previous: nil)
        inputs.inventory = InventoryView(
            tenant: tenant, asOf: ReportSamples.asOf, accounts: accounts, ambiguities: [], discrepancies: [], indeterminateChanges: [],
            snapshots: [])
        inputs.allowlist.entries = entries
        inputs.drift.findings = findings
        inputs.alerts = []
        return inputs
    }
}

@Suite("Report size and speed at scale")
struct ReportSizeTests {
    @Test("a typical tenant (50 bypassed accounts, 500 changes) renders well under 2 MB of HTML")
    func typical() throws {
        let report = ReportBuilder.build(ScaleSamples.inputs(accounts: 50, changesPerAccount: 10, approved: 40, entriesTotal: 60))
        let html = HTMLReportRenderer.render(report)
        #expect(html.utf8.count < 2_000_000, "\(html.utf8.count) bytes")
        #expect(report.summary.bypassedAccounts == 50)
        #expect(report.changes.count == 500)
    }

    /// 20 changes per account (200,000 in all) when `BYPASS_AUDITOR_FULL_SCALE=1`; 2 by default, which keeps the
    /// suite fast and changes nothing in the HTML's size (the page lists the first 1,000 changes either way).
    static let changesPerAccount = ProcessInfo.processInfo.environment["BYPASS_AUDITOR_FULL_SCALE"] == "1" ? 20 : 2

    @Test("the scale data (10,000 accounts, 5,000 unapproved, 5,000 entries) stays under 20 MB of HTML")
    func worstCase() throws {
        let clock = ContinuousClock()
        let changesPerAccount = Self.changesPerAccount
        let inputs = ScaleSamples.inputs(accounts: 10_000, changesPerAccount: changesPerAccount, approved: 5_000, entriesTotal: 5_000)
        let buildStart = clock.now
        let report = ReportBuilder.build(inputs)
        let built = clock.now
        let html = HTMLReportRenderer.render(report)
        let rendered = clock.now
        #expect(report.changes.count == 10_000 * changesPerAccount)
        #expect(report.inventory.count == 10_000)
        #expect(report.remediation.commands.count == 5_000)
        #expect(html.utf8.count < 20_000_000, "\(html.utf8.count) bytes")
        #expect(html.contains("\(10_000 * changesPerAccount - 1_000) more changes — see changes.csv."))
        if Self.changesPerAccount == 20 {
            // Slow in a debug build (a 10 MB scan), so only in the full-scale run; smaller reports check anchors always.
            let ids = Set(RenderedChecks.idValues(in: html))
            #expect(report.inventory.allSatisfy { ids.contains($0.anchor) })
            #expect(report.findings.allSatisfy { ids.contains($0.anchor) })
        }
        print("scale report (\(report.changes.count) changes): build \(built - buildStart), HTML render \(rendered - built), HTML \(html.utf8.count) bytes")
    }
}
