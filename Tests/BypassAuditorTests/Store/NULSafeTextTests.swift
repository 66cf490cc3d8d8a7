import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Store

/// GRDB binds and reads text as C strings, so a NUL ends it; `NULSafeText` keeps every string whole and leaves
/// ordinary text (and so older databases) as it is.
@Suite struct NULSafeTextTests {
    @Test(arguments: [
        "svc-backup", "", "svc-backup\u{0}-attacker", "\u{0}", "a\u{0}\u{0}b", "\u{FFFF}lead", "mid\u{FFFF}dle",
        "\u{FFFF}0", "\u{FFFF}\u{0}\u{FFFF}", "tail\u{0}", "j.doe\u{1B}[31m",
    ])
    func roundTripsAndKeepsOrdinaryTextAsItIs(text: String) {
        let stored = NULSafeText.encode(text)
        #expect(NULSafeText.decode(stored) == text)
        #expect(!stored.utf8.contains(0), "nothing SQLite would cut")
        if !text.utf8.contains(0), text.unicodeScalars.first != "\u{FFFF}" { #expect(stored == text) }
    }

    @Test func distinctTextStaysDistinct() {
        let texts = ["svc-backup", "svc-backup\u{0}", "svc-backup\u{0}-attacker", "\u{FFFF}svc-backup", "\u{FFFF}0"]
        #expect(Set(texts.map(NULSafeText.encode)).count == texts.count)
    }

    @Test func aBypassChangeKeepsItsWholeIdentityThroughTheDatabase() throws {
        let folder = try TestPaths.temporaryDirectory()
        let database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        let event = EventStoreTests.bypassEvent(id: "nul", at: "2026-10-21T03:14:07Z", identity: "svc-backup\u{0}-attacker")
        try database.write { db in _ = try EventStore.insert(db, event) }
        let changes = try database.read { db in try BypassChangeStore.changes(db, tenant: TenantID("tenant-a")) }
        #expect(changes.map(\.fact.identity) == ["svc-backup\u{0}-attacker"])
        #expect(try database.read { db in try ChainVerifier.verify(db) }.ok)
    }
}
