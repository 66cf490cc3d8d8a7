import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Inventory

@Suite("Inventory state from bypass events")
struct InventoryStateTests {
    typealias Support = InventoryTestSupport

    @Test("an older export ingested last does not overwrite newer state")
    func outOfOrderIngest() throws {
        let database = try Support.database()
        // The removal (newer) is ingested first, the enabling (older) arrives later in another file.
        try Support.store(
            [Support.bypassEvent(id: "e-remove", at: "2026-03-10T09:00:00Z", enabled: "False", actor: "admin2@contoso.com")],
            in: database)
        try Support.store(
            [Support.bypassEvent(id: "e-enable", at: "2026-03-01T09:00:00Z", enabled: "True")], in: database,
            ingestedAt: Date().addingTimeInterval(60))
        let now = try Support.view(database)
        let account = try #require(now.only("svc-backup"))
        #expect(account.bypassEnabled == false)
        #expect(account.changes.map(\.eventID) == ["e-enable", "e-remove"])
        #expect(account.changes.map(\.kind) == [.enabled, .removed])
        #expect(account.since == Support.time("2026-03-10T09:00:00Z"))
        #expect(account.setBy == "admin2@contoso.com")
        #expect(account.lastEventID == "e-remove")

        let between = try Support.view(database, asOf: "2026-03-05")
        let then = try #require(between.only("svc-backup"))
        #expect(then.bypassEnabled)
        #expect(then.since == Support.time("2026-03-01T09:00:00Z"))
        #expect(then.setBy == "exo-admin@contoso.com")
        #expect(then.sinceEventID == "e-enable")
        #expect(then.changes.map(\.eventID) == ["e-enable"])
        #expect(then.source == .events)
    }

    @Test("re-enabling after a removal is recorded as re-enabled; state begins at the re-enable")
    func reenable() throws {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "a", at: "2026-01-01T00:00:00Z", enabled: "True"),
                Support.bypassEvent(id: "b", at: "2026-02-01T00:00:00Z", enabled: "False"),
                Support.bypassEvent(id: "c", at: "2026-03-01T00:00:00Z", enabled: "$true", actor: "mallory@contoso.com"),
            ], in: database)
        let account = try #require(try Support.view(database).only("svc-backup"))
        #expect(account.changes.map(\.kind) == [.enabled, .removed, .reenabled])
        #expect(account.bypassEnabled)
        #expect(account.since == Support.time("2026-03-01T00:00:00Z"))
        #expect(account.setBy == "mallory@contoso.com")
    }

    @Test("a repeated enable keeps the time the bypass began")
    func repeatedEnable() throws {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "first", at: "2026-01-01T00:00:00Z", actor: "alice@contoso.com"),
                Support.bypassEvent(id: "again", at: "2026-01-05T00:00:00Z", actor: "bob@contoso.com"),
            ], in: database)
        let account = try #require(try Support.view(database).only("svc-backup"))
        #expect(account.changes.map(\.kind) == [.enabled, .enabled])
        #expect(account.since == Support.time("2026-01-01T00:00:00Z"))
        #expect(account.setBy == "alice@contoso.com")
        #expect(account.sinceEventID == "first")
        #expect(account.lastEventID == "again")
    }

    @Test("failed events change nothing and are kept as attempts with their actor")
    func failedAttempts() throws {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(
                    id: "try-1", at: "2026-04-01T10:00:00Z", outcome: "failure", resultStatus: "Failed",
                    actor: "mallory@contoso.com", clientIP: "198.51.100.9"),
                Support.bypassEvent(
                    id: "try-2", at: "2026-04-01T10:05:00Z", outcome: nil, resultStatus: "Failed",
                    actor: "mallory@contoso.com"),
            ], in: database)
        let view = try Support.view(database)
        let account = try #require(view.only("svc-backup"))
        #expect(account.bypassEnabled == false)
        #expect(account.changes.isEmpty)
        #expect(account.attempts.map(\.eventID) == ["try-1", "try-2"])
        #expect(account.attempts.allSatisfy { $0.kind == .failedAttempt && $0.actor == "mallory@contoso.com" })
        #expect(account.attempts[0].clientIP == "198.51.100.9")
        #expect(view.bypassedAccounts.isEmpty)
    }

    @Test("a record without event.outcome or ResultStatus counts as a change, as Elastic maps it")
    func unknownOutcomeIsSuccess() throws {
        let database = try Support.database()
        try Support.store(
            [Support.bypassEvent(id: "quiet", at: "2026-04-01T10:00:00Z", outcome: nil, resultStatus: nil)],
            in: database)
        let account = try #require(try Support.view(database).only("svc-backup"))
        #expect(account.bypassEnabled)
        #expect(account.changes.first?.outcome == .unknown)
    }

    @Test("as-of: a bare date means the end of that day; accounts seen later are not listed")
    func asOfInThePast() throws {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "late-in-day", at: "2026-05-31T23:59:59.9990000Z", identity: "svc-a"),
                Support.bypassEvent(id: "next-day", at: "2026-06-01T00:00:00Z", identity: "svc-b"),
            ], in: database)
        let view = try Support.view(database, asOf: "2026-05-31")
        #expect(view.accounts.map(\.displayName) == ["svc-a"])
        #expect(view.only("svc-a")?.bypassEnabled == true)
        let before = try Support.view(database, asOf: "2026-05-30")
        #expect(before.accounts.isEmpty)
    }

    @Test("records whose target or direction cannot be read are indeterminate, never guessed")
    func indeterminateRecords() throws {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "on", at: "2026-01-01T00:00:00Z", identity: "svc-backup"),
                Support.bypassEvent(id: "no-target", at: "2026-01-02T00:00:00Z", identity: nil, objectID: nil),
                Support.bypassEvent(id: "no-direction", at: "2026-01-03T00:00:00Z", identity: "svc-backup", enabled: nil),
                Support.bypassEvent(id: "odd-direction", at: "2026-01-04T00:00:00Z", enabled: "perhaps"),
            ], in: database)
        let view = try Support.view(database)
        #expect(view.indeterminateChanges.map(\.eventID) == ["no-target", "no-direction", "odd-direction"])
        #expect(view.indeterminateChanges.allSatisfy { $0.kind == .indeterminate })
        let account = try #require(view.only("svc-backup"))
        // The unreadable records do not change the state the readable one set.
        #expect(account.bypassEnabled)
        #expect(account.since == Support.time("2026-01-01T00:00:00Z"))
        #expect(account.changes.map(\.kind) == [.enabled, .indeterminate, .indeterminate])
    }

    @Test("a list-valued parameter is read as AuditEvent reads it (first keyword)")
    func listValuedField() throws {
        let database = try Support.database()
        var event = Support.bypassEvent(id: "list", at: "2026-01-01T00:00:00Z")
        event[ECSField.parametersPrefix + "Identity"] = .list([.string("svc-list"), .string("ignored")])
        event[ECSField.parametersPrefix + "AuditBypassEnabled"] = .bool(true)
        try Support.store([event], in: database)
        let account = try #require(try Support.view(database).only("svc-list"))
        #expect(account.bypassEnabled)
        #expect(account.exchangeName == "svc-list")
    }

    @Test("a stored document damaged after ingest does not change the inventory: it reads the fact stored at ingest")
    func unreadableDocument() throws {
        let database = try Support.database()
        try Support.store([Support.bypassEvent(id: "ok", at: "2026-01-01T00:00:00Z")], in: database)
        try Support.store([Support.bypassEvent(id: "broken", at: "2026-01-02T00:00:00Z")], in: database)
        try database.write { db in
            try db.execute(sql: "UPDATE event SET document = '{not json' WHERE event_id = 'broken'")
        }
        let view = try Support.view(database)
        // The damage is verify's to report (ChainVerifierTests); the inventory never re-parses documents.
        #expect(view.indeterminateChanges.isEmpty)
        #expect(view.only("svc-backup")?.bypassEnabled == true)
    }

    @Test("exchange name and display name: the Identity an event used, the one typed most often")
    func preferredNames() throws {
        let database = try Support.database()
        let path = "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/svc-backup"
        try Support.store(
            [
                Support.bypassEvent(id: "1", at: "2026-01-01T00:00:00Z", identity: "svc-backup", objectID: path),
                Support.bypassEvent(id: "2", at: "2026-01-02T00:00:00Z", identity: "svc-backup", enabled: "False"),
                Support.bypassEvent(id: "3", at: "2026-01-03T00:00:00Z", identity: "svc-backup@contoso.com", objectID: path),
            ], in: database)
        let account = try #require(try Support.view(database).only("svc-backup"))
        #expect(account.displayName == "svc-backup")
        #expect(account.exchangeName == "svc-backup@contoso.com")
        #expect(account.guid == nil)
        #expect(account.id.key == "name:svc-backup")
    }

    @Test("tenants() lists tenants with bypass events or snapshots, and views never mix them")
    func tenantsAreSeparate() throws {
        let database = try Support.database()
        try Support.store(
            [
                Support.bypassEvent(id: "t1", at: "2026-01-01T00:00:00Z", identity: "svc-backup"),
                Support.bypassEvent(
                    id: "t2", at: "2026-01-02T00:00:00Z", identity: "svc-backup", enabled: "False",
                    tenant: Support.otherTenant),
            ], in: database)
        let tenants = try database.read { db in try InventoryBuilder.tenants(db) }
        #expect(tenants == [Support.tenant, Support.otherTenant].sorted())
        #expect(try Support.view(database).only("svc-backup")?.bypassEnabled == true)
        #expect(try Support.view(database, tenant: Support.otherTenant).only("svc-backup")?.bypassEnabled == false)
    }
}
