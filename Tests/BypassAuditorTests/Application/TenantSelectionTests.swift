import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Inventory
@testable import Store

@Suite("Application: the one tenant policy")
struct TenantSelectionTests {
    static let a = TenantID("aaaaaaaa-0000-0000-0000-000000000001")
    static let b = TenantID("bbbbbbbb-0000-0000-0000-000000000002")

    static func holding(_ tenant: TenantID, bypass: Int, snapshots: Int = 0, events: Int? = nil) -> TenantHoldings {
        TenantHoldings(tenant: tenant, bypassEvents: bypass, snapshots: snapshots, events: events ?? bypass)
    }

    @Test("An empty database is the unknown tenant; a lone tenant is chosen even without bypass data")
    func alone() throws {
        #expect(try TenantSelection.choose(nil, holdings: []) == .unknown)
        #expect(try TenantSelection.choose(nil, holdings: [Self.holding(Self.a, bypass: 0, events: 5)]) == Self.a)
    }

    @Test("The only tenant with bypass data is chosen when the others hold none")
    func onlyOneWithBypassData() throws {
        let holdings = [Self.holding(Self.a, bypass: 0, events: 40), Self.holding(Self.b, bypass: 0, snapshots: 1)]
        #expect(try TenantSelection.choose(nil, holdings: holdings) == Self.b)
    }

    @Test("The choice says what else the database holds: the tenant picked among several, the unknown tenant beside")
    func notes() throws {
        let one = try TenantSelection.select(nil, holdings: [Self.holding(Self.a, bypass: 2)])
        #expect(one.basis == .onlyTenantWithBypassData && one.notes.isEmpty, "one tenant: nothing to say")

        let stray = try TenantSelection.select(
            nil, holdings: [Self.holding(Self.a, bypass: 2), Self.holding(Self.b, bypass: 0, events: 1)])
        #expect(stray.tenant == Self.a)
        #expect(stray.notes.count == 1)
        #expect(stray.notes.first?.contains("only tenant with bypass data") == true)
        #expect(stray.notes.first?.contains("\(Self.b) (0 bypass events, 0 snapshots, 1 event in all)") == true)

        let beside = [Self.holding(.unknown, bypass: 1), Self.holding(Self.a, bypass: 0, events: 3)]
        let unknownShown = try TenantSelection.select(nil, holdings: beside)
        #expect(unknownShown.tenant == .unknown)
        #expect(unknownShown.notes.count == 1 && unknownShown.notes[0].contains("UNKNOWN tenant"))
        let knownShown = try TenantSelection.select(Self.a.rawValue, holdings: beside)
        #expect(knownShown.basis == .requested)
        #expect(knownShown.notes.count == 1 && knownShown.notes[0].contains("NOT in this view"))
        #expect(knownShown.notes[0].contains("1 bypass event, 0 snapshots"))
        // A hostile tenant id is shown inert.
        let hostile = TenantID("evil\u{1B}[2J")
        let shown = try TenantSelection.select(
            nil, holdings: [Self.holding(Self.a, bypass: 1), Self.holding(hostile, bypass: 0, events: 1)])
        #expect(!(shown.notes.first ?? "").unicodeScalars.contains("\u{1B}"))
    }

    @Test("Several tenants with bypass data: refused, each listed with its counts")
    func several() {
        let holdings = [Self.holding(Self.a, bypass: 3), Self.holding(Self.b, bypass: 1, snapshots: 2)]
        #expect {
            try TenantSelection.choose(nil, holdings: holdings)
        } throws: { error in
            let text = "\(error)"
            return text.contains("choose one with --tenant") && text.contains("\(Self.a) (3 bypass events, 0 snapshots)")
                && text.contains("\(Self.b) (1 bypass event, 2 snapshots)")
        }
    }

    @Test("--tenant: any tenant the database holds (case-insensitive), never one it has not seen")
    func requested() throws {
        let holdings = [Self.holding(Self.a, bypass: 3), Self.holding(Self.b, bypass: 0, events: 7)]
        #expect(try TenantSelection.choose(Self.b.rawValue.uppercased(), holdings: holdings) == Self.b)
        #expect {
            try TenantSelection.choose("typo", holdings: holdings)
        } throws: { error in
            "\(error)".contains("no data for tenant typo") && "\(error)".contains("Known tenants")
                && "\(error)".contains("7 events in all")
        }
    }

    @Test("Holdings are counted from the stored events and snapshots")
    func holdingsFromDatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenant-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AuditDatabase.open(path: folder.appendingPathComponent("db.sqlite").path, .createIfAbsent)
        func event(_ id: String, tenant: TenantID, action: String) -> AuditEvent {
            var event = AuditEvent()
            event[ECSField.timestamp] = .string("2026-10-01T08:00:00Z")
            event[ECSField.eventID] = .string(id)
            event[ECSField.action] = .string(action)
            event[ECSField.organizationID] = .string(tenant.rawValue)
            return event
        }
        try database.write { db in
            try EventStore.insert(db, event("e1", tenant: Self.a, action: ECSField.bypassCmdlet))
            try EventStore.insert(db, event("e2", tenant: Self.b, action: "MailItemsAccessed"))
        }
        let holdings = try database.read { db in try TenantHoldingsStore.holdings(db) }
        #expect(holdings == [Self.holding(Self.a, bypass: 1), Self.holding(Self.b, bypass: 0, events: 1)])
        #expect(try TenantSelection.choose(nil, in: database) == Self.a)
    }
}
