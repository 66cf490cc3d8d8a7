import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Reporting
@testable import Store

@Suite("Stored report runs")
struct ReportHistoryTests {
    /// A report of `label` generated at `generated`, revision `revision`.
    static func report(_ label: String, generated: String, revision: Int = 1, tenant: TenantID = ReportSamples.tenant) throws -> Report {
        var inputs = ReportSamples.inputs(previous: nil, revision: revision)
        inputs.period = try ReportingPeriod(month: label)
        inputs.asOf = inputs.period.endInstant
        inputs.generatedAt = ReportSamples.time(generated)
        inputs.tenant = tenant
        return ReportBuilder.build(inputs)
    }

    private func database() throws -> (AuditDatabase, URL) {
        let folder = try TestPaths.temporaryDirectory()
        return (try AuditDatabase(path: folder.appendingPathComponent("audit.sqlite").path), folder)
    }

    @Test("record then read back: counts, findings with severity and account keys survive")
    func roundTrip() throws {
        let (db, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let october = ReportSamples.report
        try db.write { try ReportHistory.record($0, october, folder: "Reports/2026-10") }
        let stored = try #require(try db.read { try ReportHistory.recent($0, tenant: ReportSamples.tenant, limit: 12) }.first)
        #expect(stored == StoredReportSummary(report: october, folder: "Reports/2026-10").withTimesAtMilliseconds)
        #expect(stored.findings.count == october.findings.count)
        #expect(stored.accounts.map(\.key).sorted() == october.inventory.map(\.key).sorted())
        #expect(stored.findingsBySeverity == october.summary.findingsBySeverity)
        #expect(stored.bypassedAccounts == 4)
        #expect(stored.verdict == .actionRequired)
    }

    @Test("previous: the latest run of the latest period that ended before this one; reruns of this period never count")
    func previous() throws {
        let (db, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        try db.write { db in
            try ReportHistory.record(db, try Self.report("2026-08", generated: "2026-09-01T06:00:00Z"), folder: "Reports/2026-08")
            try ReportHistory.record(db, try Self.report("2026-09", generated: "2026-10-01T06:00:00Z"), folder: "Reports/2026-09")
            try ReportHistory.record(db, try Self.report("2026-09", generated: "2026-10-02T06:00:00Z", revision: 2), folder: "Reports/2026-09.r2")
            try ReportHistory.record(db, try Self.report("2026-10", generated: "2026-11-01T06:00:00Z"), folder: "Reports/2026-10")
            try ReportHistory.record(db, try Self.report("2026-09", generated: "2026-10-01T07:00:00Z", tenant: TenantID("other")), folder: "x")
        }
        let october = try ReportingPeriod(month: "2026-10")
        let previous = try #require(try db.read { try ReportHistory.previous($0, tenant: ReportSamples.tenant, before: october) })
        #expect(previous.periodLabel == "2026-09")
        #expect(previous.revision == 2, "the latest run of the previous period")
        #expect(previous.folder == "Reports/2026-09.r2")
        let december = try ReportingPeriod(month: "2026-12")
        #expect(try db.read { try ReportHistory.previous($0, tenant: ReportSamples.tenant, before: december) }?.periodLabel == "2026-10", "a skipped month falls back to the latest earlier report")
        let august = try ReportingPeriod(month: "2026-08")
        #expect(try db.read { try ReportHistory.previous($0, tenant: ReportSamples.tenant, before: august) } == nil)
        #expect(try db.read { try ReportHistory.previous($0, tenant: TenantID("other"), before: october) }?.periodLabel == "2026-09")
    }

    @Test("recent: one run per period (the latest), the newest periods, oldest first")
    func recent() throws {
        let (db, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        try db.write { db in
            for month in 1...9 {
                let label = String(format: "2026-%02d", month)
                try ReportHistory.record(db, try Self.report(label, generated: String(format: "2026-%02d-01T06:00:00Z", month + 1)), folder: label)
            }
            try ReportHistory.record(db, try Self.report("2026-05", generated: "2026-06-05T06:00:00Z", revision: 2), folder: "2026-05.r2")
        }
        let runs = try db.read { try ReportHistory.recent($0, tenant: ReportSamples.tenant, limit: 4) }
        #expect(runs.map(\.periodLabel) == ["2026-06", "2026-07", "2026-08", "2026-09"])
        let all = try db.read { try ReportHistory.recent($0, tenant: ReportSamples.tenant, limit: 12) }
        #expect(all.count == 9)
        #expect(all.first { $0.periodLabel == "2026-05" }?.revision == 2)
        #expect(try db.read { try ReportHistory.all($0, tenant: ReportSamples.tenant) }.count == 10)
    }

    @Test("a report built from the stored history compares with it and draws its trend")
    func feedsNextReport() throws {
        let (db, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let september = try Self.report("2026-09", generated: "2026-10-01T06:00:00Z")
        try db.write { try ReportHistory.record($0, september, folder: "Reports/2026-09") }
        var inputs = ReportSamples.inputs()
        inputs.previous = try db.read { try ReportHistory.previous($0, tenant: ReportSamples.tenant, before: inputs.period) }
        inputs.history = try db.read { try ReportHistory.recent($0, tenant: ReportSamples.tenant, limit: 12) }
        let october = ReportBuilder.build(inputs)
        #expect(october.comparison.previous?.reportID == september.id)
        #expect(october.comparison.persistingFindings.count == september.findings.count, "same drift findings both months")
        #expect(october.comparison.newFindings.isEmpty)
        #expect(october.trend.map(\.periodLabel) == ["2026-09", "2026-10"])
    }

    @Test("a pending run is never compared with; publishing it with a replacement withdraws the replaced revision of the same folder only")
    func pendingAndReplaced() throws {
        let (db, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let september = try Self.report("2026-09", generated: "2026-10-01T06:00:00Z")
        let elsewhere = try Self.report("2026-09", generated: "2026-10-01T06:30:00Z")
        let rerun = try Self.report("2026-09", generated: "2026-10-02T06:00:00Z", revision: 2)
        let october = try ReportingPeriod(month: "2026-10")
        try db.write { db in
            _ = try ReportHistory.recordPending(
                db, september, folder: "/r/2026-09", details: StoredRunDetails(manifestSHA256: "a", location: "/r/2026-09"))
            _ = try ReportHistory.recordPending(
                db, elsewhere, folder: "/other/2026-09", details: StoredRunDetails(manifestSHA256: "b", location: "/other/2026-09"))
        }
        #expect(try db.read { try ReportHistory.previous($0, tenant: ReportSamples.tenant, before: october) } == nil, "pending runs are not published")
        #expect(try db.read { try ReportHistory.pending($0) }.map(\.reportID) == [september.id, elsewhere.id])
        let pending = try db.read { try ReportHistory.pending($0) }
        try db.write { db in
            for run in pending { try ReportHistory.publish(db, runID: run.runID, replacedLocation: nil, at: Date()) }
        }
        #expect(try db.read { try ReportHistory.highestRevision($0, tenant: ReportSamples.tenant, label: "2026-09", in: "/r") } == 1)

        let runID = try db.write { db in
            try ReportHistory.recordPending(
                db, rerun, folder: "/r/2026-09.r2",
                details: StoredRunDetails(
                    manifestSHA256: "c", location: "/r/2026-09.r2", reason: "wrong register", madeBy: "alice", replacesRevision: 1,
                    replacesAside: "/r/2026-09.replaced/r1"))
        }
        try db.write { try ReportHistory.publish($0, runID: runID, replacedLocation: "/r/2026-09.replaced/r1", at: ReportSamples.time("2026-10-02T06:00:05Z")) }
        let states = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT report_id, state, location, replaced_by FROM report_run ORDER BY id").map {
                [$0["report_id"] as String, $0["state"] as String, $0["location"] as String, ($0["replaced_by"] as String?) ?? "-"]
            }
        }
        #expect(states == [
            [september.id, "replaced", "/r/2026-09.replaced/r1", rerun.id],
            [elsewhere.id, "published", "/other/2026-09", "-"],
            [rerun.id, "published", "/r/2026-09.r2", "-"],
        ])
        #expect(try db.read { try ReportHistory.previous($0, tenant: ReportSamples.tenant, before: october) }?.reportID == rerun.id)
        #expect(try db.read { try ReportHistory.highestRevision($0, tenant: ReportSamples.tenant, label: "2026-09", in: "/r") } == 2)
        #expect(try db.read { try ReportHistory.highestRevision($0, tenant: ReportSamples.tenant, label: "2026-09", in: "/other") } == 1)
    }
}

extension StoredReportSummary {
    /// Times as the database keeps them (millisecond precision).
    var withTimesAtMilliseconds: StoredReportSummary {
        var copy = self
        copy.asOf = UTCTimestamp.parse(UTCTimestamp.format(asOf))!
        copy.generatedAt = UTCTimestamp.parse(UTCTimestamp.format(generatedAt))!
        copy.findings.sort { $0.id < $1.id }
        copy.accounts.sort { $0.key < $1.key }
        return copy
    }

}
