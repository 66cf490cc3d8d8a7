import BypassAuditor
import Foundation
import Testing

/// The whole pipeline in process, on the bundled sample data: ingest → detect → snapshot import → drift → report.
/// Each stage reads what the previous one stored, so this is where a stage that re-derives a fact would disagree.
@Suite("Golden path: the sample data from bytes to report")
struct GoldenPathTests {
    static let sampleData = TestPaths.packageRoot.appendingPathComponent("scripts/sample-data").path
    static let allowlist = TestPaths.packageRoot.appendingPathComponent("Policies/allowlist.yaml").path
    static let tenant = TenantID("4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b")
    static let reportClock = UTCTimestamp.parseInstant("2026-11-02T00:00:00Z")!

    /// What the sample month must show: each finding's stable id and kind (the same list an old database gives,
    /// see UpgradeTests).
    static let expectedFindings: Set<String> = [
        "unapproved-bypass:guid:5e6f7081-92a3-4b45-8d6e-7f8091021324",
        "audit-impairment:mailbox-audit-actions-reduced:j.doe@contoso.com",
        "expired-approval:guid:0d6e1f2a-3b4c-4d5e-8f60-7a8b9c0d1e2f",
        "unapproved-bypass:guid:6f708192-a3b4-4c56-9e7f-809102132435",
        "unauthorized-actor:3e8ea94d-6e3f-4183-a186-e393b7357704",
        "coverage-gap:2026-10-18..2026-10-19",
        "failed-attempt:guid:5e6f7081-92a3-4b45-8d6e-7f8091021324",
        "failed-attempt:name:jdoe",
        "incomplete-approval:AB-0003",
        "review-overdue:AB-0002",
        "review-overdue:AB-0003",
        "unexplained-bypass:guid:6f708192-a3b4-4c56-9e7f-809102132435",
        "expiring-soon:AB-0004",
        "stale-allowlist-entry:AB-0005",
    ]

    struct Pipeline {
        var folder: URL
        var database: AuditDatabase
        var drift: DriftRun.Outcome
        var report: MonthlyReport.Outcome
        var inventory: InventoryView
        var alerts: [Alert]
    }

    static func runPipeline() throws -> Pipeline {
        let folder = try TestPaths.temporaryDirectory()
        let database = try AuditDatabase.open(path: folder.appendingPathComponent("audit.sqlite").path, .createIfAbsent)
        let rules = try RuleSource.bundled.load()
        let ingest = try Ingester(database: database, interest: rules.eventInterest)
            .ingest(try InputSource.expand(["\(sampleData)/logs"]))
        #expect(ingest.errors.isEmpty)
        _ = try Detector(database: database, rules: rules)
            .run(mode: .catchUp, now: UTCTimestamp.parseInstant("2026-11-29T00:00:00Z")!)
        _ = try SnapshotImporter.importFile(
            at: "\(sampleData)/snapshots/bypass-associations-2026-09-30.json", into: database,
            options: .init(takenAt: UTCTimestamp.parseInstant("2026-09-30T23:00:00Z"), tenant: tenant, complete: true))
        _ = try SnapshotImporter.importFile(
            at: "\(sampleData)/snapshots/bypass-associations-2026-10-31.csv", into: database,
            options: .init(takenAt: UTCTimestamp.parseInstant("2026-10-31T22:00:00Z"), tenant: tenant))
        let period = try ReportingPeriod(month: "2026-10")
        let drift = try DriftRun.run(
            .init(tenant: nil, allowlistPath: allowlist, asOf: nil, period: period, now: reportClock), database: database)
        let report = try MonthlyReport.run(
            .init(
                tenant: nil, allowlistPath: allowlist, rules: .bundled, period: period, clock: reportClock,
                formats: Set(ReportFormat.allCases), outputDirectory: folder.appendingPathComponent("Reports").path,
                force: false),
            database: database)
        let inventory = try InventoryQuery.view(database, tenant: nil, asOf: period.end).view
        let alerts = try AlertStore.alerts(in: database, tenant: nil)
        return Pipeline(
            folder: folder, database: database, drift: drift, report: report, inventory: inventory, alerts: alerts)
    }

    @Test("drift finds exactly the sample month's findings, and the controls fail as they should")
    func findingsAndControls() throws {
        let run = try Self.runPipeline()
        #expect(Set(run.drift.result.findings.map(\.id)) == Self.expectedFindings)
        for finding in run.drift.result.findings {
            #expect(finding.id.hasPrefix(finding.kind.rawValue + ":"), "\(finding.id)")
        }
        let statuses = Dictionary(uniqueKeysWithValues: run.drift.result.controls.map { ($0.id.rawValue, $0.status) })
        #expect(statuses == ["FP-1": .fail, "FP-2": .fail, "FP-3": .fail, "FP-4": .fail, "FP-5": .warn])
    }

    @Test("the report renders drift's findings in drift's order, with drift's control statuses")
    func reportRendersDrift() throws {
        let run = try Self.runPipeline()
        #expect(run.report.report.findings.map(\.id) == run.drift.result.findings.map(\.id))
        #expect(run.report.report.findings.map(\.severity) == run.drift.result.findings.map(\.severity))
        let reportStatuses = run.report.report.summary.controls.map { "\($0.id.rawValue)=\($0.status)" }
        let driftStatuses = run.drift.result.controls.map { "\($0.id.rawValue)=\($0.status)" }
        #expect(reportStatuses.sorted() == driftStatuses.sorted())
        #expect(run.report.files.contains { $0.hasSuffix("report.json") })
        #expect(run.report.files.contains { $0.hasSuffix("changes.csv") })
    }

    @Test("one account, one display name: inventory, drift, report, changes.csv and alerts agree")
    func namesAgreeAcrossOutputs() throws {
        let run = try Self.runPipeline()
        let inventoryNames = Dictionary(
            uniqueKeysWithValues: run.inventory.accounts.map { ($0.id.key, $0.displayName) })
        #expect(!inventoryNames.isEmpty)
        for finding in run.drift.result.findings {
            guard let id = finding.accountID, let name = inventoryNames[id.key] else { continue }
            #expect(finding.account == name, "drift \(finding.id)")
        }
        for account in run.report.report.inventory {
            guard let name = inventoryNames[account.key] else { continue }
            #expect(account.displayName == name, "report inventory \(account.key)")
        }
        for finding in run.report.report.findings {
            guard let key = finding.accountKey, let name = inventoryNames[key] else { continue }
            #expect(finding.account == name, "report finding \(finding.id)")
        }
        for change in run.report.report.changes {
            guard let key = change.accountKey, let name = inventoryNames[key] else { continue }
            #expect(change.account == name, "report change \(change.eventID)")
        }
        // changes.csv carries the same name for the same event as the report model it was written from.
        let csvPath = try #require(run.report.files.first { $0.hasSuffix("changes.csv") })
        let reportFolder = run.folder.appendingPathComponent("Reports")
            .appendingPathComponent(URL(fileURLWithPath: run.report.folder).lastPathComponent)
        let csv = try String(contentsOfFile: reportFolder.appendingPathComponent(csvPath).path, encoding: .utf8)
        for change in run.report.report.changes {
            guard let name = change.account else { continue }
            let line = csv.split(whereSeparator: \.isNewline).first { $0.contains(change.eventID) }
            #expect(line?.contains(name) == true, "changes.csv \(change.eventID)")
        }
        // Alerts name the target as written in the record; each one names an account the inventory knows.
        let bypassAlerts = run.alerts.filter { $0.direction != .unknown && $0.target != nil }
        #expect(!bypassAlerts.isEmpty)
        let knownNames = Set(run.inventory.accounts.flatMap { [$0.displayName, $0.exchangeName] + $0.names })
        for alert in bypassAlerts {
            #expect(knownNames.contains(alert.target!), "alert \(alert.id) target \(alert.target!)")
        }
    }
}
