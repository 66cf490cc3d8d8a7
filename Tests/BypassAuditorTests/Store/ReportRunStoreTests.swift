import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Store

@Suite("Store: report runs with their findings and accounts")
struct ReportRunStoreTests {
    static let tenant = TenantID("tenant-a")

    /// A run of the month `label` (`2026-10`), generated at `generated`.
    static func run(
        _ label: String, generated: String, revision: Int = 1, state: ReportRunState = .published,
        tenant: TenantID = tenant, location: String? = nil
    ) throws -> ReportRunRecord {
        let period = try ReportingPeriod(month: label)
        return ReportRunRecord(
            reportID: "\(tenant.rawValue)-\(label)-r\(revision)-\(generated)", tenant: tenant, periodLabel: label,
            periodFirstDay: period.firstDay, periodLastDay: period.lastDay, revision: revision,
            asOf: StoreTestSupport.time(generated), generatedAt: StoreTestSupport.time(generated),
            folder: "Reports/\(label)", verdict: "action-required", findingsCritical: 1, findingsHigh: 0,
            findingsMedium: 2, findingsLow: 0, findingsInfo: 3, bypassedAccounts: 4, state: state,
            location: location, staging: state == .pending ? "/out/.staging-\(label)" : nil)
    }

    @Test("a run reads back as stored; a repeated finding id or account key is stored once")
    func insertAndReadBack() throws {
        let database = try StoreTestSupport.database()
        let run = try Self.run("2026-10", generated: "2026-11-01T06:00:00.000Z")
        let id = try database.write { db in
            let id = try ReportRunStore.insert(db, run)
            try ReportRunStore.insert(
                db,
                findings: [
                    ReportFindingRecord(runID: id, findingID: "F-2", kind: "unapproved-bypass", severity: .high),
                    ReportFindingRecord(runID: id, findingID: "F-1", kind: "expired-approval", severity: .medium),
                    ReportFindingRecord(runID: id, findingID: "F-1", kind: "ignored-repeat", severity: .low),
                ],
                accounts: [
                    ReportAccountRecord(runID: id, accountKey: "b", name: "Bob", status: "unapproved"),
                    ReportAccountRecord(runID: id, accountKey: "a", name: "Ann", status: "approved"),
                    ReportAccountRecord(runID: id, accountKey: "a", name: "Ann again", status: "expired"),
                ])
            return id
        }
        var expected = run
        expected.id = id
        #expect(try database.read { db in try ReportRunStore.run(db, id: id) } == expected)
        let findings = try database.read { db in try ReportRunStore.findings(db, runID: id) }
        #expect(findings.map(\.findingID) == ["F-1", "F-2"] && findings.first?.kind == "expired-approval")
        let accounts = try database.read { db in try ReportRunStore.accounts(db, runID: id) }
        #expect(accounts.map(\.name) == ["Ann", "Bob"])
    }

    @Test("a pending run is published (its staging forgotten) or discarded; a published one is never discarded")
    func pendingLifeCycle() throws {
        let database = try StoreTestSupport.database()
        let (kept, dropped) = try database.write { db in
            (
                try ReportRunStore.insert(db, try Self.run("2026-10", generated: "2026-11-01T06:00:00.000Z", state: .pending)),
                try ReportRunStore.insert(db, try Self.run("2026-11", generated: "2026-12-01T06:00:00.000Z", state: .pending))
            )
        }
        #expect(try database.read { db in try ReportRunStore.pending(db) }.map(\.id) == [kept, dropped])
        try database.write { db in
            try ReportRunStore.markPublished(db, id: kept)
            try ReportRunStore.discardPending(db, id: dropped)
            try ReportRunStore.discardPending(db, id: kept)
        }
        let published = try #require(try database.read { db in try ReportRunStore.run(db, id: kept) })
        #expect(published.state == .published && published.staging == nil)
        #expect(try database.read { db in try ReportRunStore.run(db, id: dropped) } == nil)
        #expect(try database.read { db in try ReportRunStore.pending(db) }.isEmpty)
    }

    @Test("a run replaced by a later revision records where its folder went, by whom and when")
    func replacement() throws {
        let database = try StoreTestSupport.database()
        let (first, second) = try database.write { db in
            (
                try ReportRunStore.insert(db, try Self.run("2026-10", generated: "2026-11-01T06:00:00.000Z")),
                try ReportRunStore.insert(db, try Self.run("2026-10", generated: "2026-11-02T06:00:00.000Z", revision: 2))
            )
        }
        #expect(
            try database.read { db in
                try ReportRunStore.published(db, tenant: Self.tenant, periodLabel: "2026-10", revision: 1, excluding: second)
            }.map(\.id) == [first])
        let at = StoreTestSupport.time("2026-11-02T06:00:01.000Z")
        try database.write { db in
            try ReportRunStore.markReplaced(db, id: first, location: "/out/2026-10.replaced/r1", replacedBy: "r2", at: at)
        }
        let replaced = try #require(try database.read { db in try ReportRunStore.run(db, id: first) })
        #expect(replaced.state == .replaced && replaced.location == "/out/2026-10.replaced/r1")
        #expect(replaced.replacedBy == "r2" && replaced.replacedAt == at)
        #expect(
            try database.read { db in
                try ReportRunStore.published(db, tenant: Self.tenant, periodLabel: "2026-10", revision: 1, excluding: second)
            }.isEmpty)
        #expect(try database.read { db in try ReportRunStore.publishedOrReplaced(db, tenant: Self.tenant) }.map(\.id) == [first, second])
    }

    @Test("the comparison run, the trend's runs and the listing come back in their orders")
    func queriesForComparisonTrendAndListing() throws {
        let database = try StoreTestSupport.database()
        let ids = try database.write { db in
            [
                try ReportRunStore.insert(db, try Self.run("2026-08", generated: "2026-09-01T06:00:00.000Z")),
                try ReportRunStore.insert(db, try Self.run("2026-09", generated: "2026-10-01T06:00:00.000Z")),
                try ReportRunStore.insert(db, try Self.run("2026-09", generated: "2026-10-02T06:00:00.000Z", revision: 2)),
                try ReportRunStore.insert(db, try Self.run("2026-10", generated: "2026-11-01T06:00:00.000Z", state: .pending)),
                try ReportRunStore.insert(db, try Self.run("2026-09", generated: "2026-10-05T06:00:00.000Z", tenant: TenantID("other"))),
            ]
        }
        let october = try ReportingPeriod(month: "2026-10")
        #expect(
            try database.read { db in try ReportRunStore.latestPublished(db, tenant: Self.tenant, endingBefore: october.firstDay) }?.id
                == ids[2], "the latest run of the latest earlier period")
        #expect(
            try database.read { db in try ReportRunStore.latestPublishedPerPeriod(db, tenant: Self.tenant, limit: 12) }.map(\.id)
                == [ids[2], ids[0]], "one run per period, most recent period first, pending runs left out")
        #expect(try database.read { db in try ReportRunStore.latestPublishedPerPeriod(db, tenant: Self.tenant, limit: 1) }.map(\.id) == [ids[2]])
        #expect(try database.read { db in try ReportRunStore.runs(db) }.map(\.id) == [ids[4], ids[0], ids[1], ids[2], ids[3]])
        #expect(try database.read { db in try ReportRunStore.runs(db, tenant: Self.tenant, periodLabel: "2026-09") }.map(\.id) == [ids[1], ids[2]])
    }

    @Test("a stored time, day or state the tool never writes is an error naming the run and column")
    func undecodableRuns() throws {
        let database = try StoreTestSupport.database()
        let id = try database.write { db in try ReportRunStore.insert(db, try Self.run("2026-10", generated: "2026-11-01T06:00:00.000Z")) }
        for (column, value) in [("generated_at", "soon"), ("period_first_day", "2026-13-01"), ("state", "archived")] {
            let original = try database.read { db in try String.fetchOne(db, sql: "SELECT \(column) FROM report_run") }
            try database.write { db in try db.execute(sql: "UPDATE report_run SET \(column) = ?", arguments: [value]) }
            StoreTestSupport.expectUndecodable(table: "report_run", row: String(id), column: column) {
                _ = try database.read { db in try ReportRunStore.runs(db) }
            }
            try database.write { db in try db.execute(sql: "UPDATE report_run SET \(column) = ?", arguments: [original]) }
        }
        #expect(try database.read { db in try ReportRunStore.runs(db) }.count == 1)
    }
}
