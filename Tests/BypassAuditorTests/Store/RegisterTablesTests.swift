import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Store

/// The register's tables through their Store APIs, on real database files.
@Suite struct RegisterTablesTests {
    static let time = StoreTestSupport.time

    @Test("a version derived from another is stored as the region that differs and rebuilds to its text")
    func versionsStoreDeltasAndRebuild() throws {
        let database = try StoreTestSupport.database()
        let base = String(repeating: "entry: unchanged\n", count: 200)
        let edited = base + "entry: added\n"
        let (firstID, secondID) = try database.write { db in
            let first = try AllowlistVersionStore.insert(
                db, content: base, sha256: SHA256Digest.hex(of: base), path: "a.yaml", at: Self.time("2026-10-01T00:00:00Z"),
                base: nil)
            let second = try AllowlistVersionStore.insert(
                db, content: edited, sha256: SHA256Digest.hex(of: edited), path: "a.yaml",
                at: Self.time("2026-10-02T00:00:00Z"), base: (first, base))
            return (first, second)
        }
        try database.read { db in
            let stored = try AllowlistVersionRecord.fetchOne(db, key: secondID)
            #expect(stored?.content == "", "the derived version keeps no full text")
            #expect(try AllowlistVersionDeltaRecord.fetchOne(db, key: secondID)?.baseVersionID == firstID)
            #expect(try AllowlistVersionStore.Reader(db).text(id: secondID) == edited)
            #expect(try AllowlistVersionStore.text(db, sha256: SHA256Digest.hex(of: base)) == base)
            #expect(try AllowlistVersionStore.id(db, sha256: SHA256Digest.hex(of: edited)) == secondID)
            #expect(try AllowlistVersionStore.id(db, sha256: "absent") == nil)
            #expect(
                try AllowlistVersionStore.digests(db)
                    == [.init(id: firstID, sha256: SHA256Digest.hex(of: base)), .init(id: secondID, sha256: SHA256Digest.hex(of: edited))])
        }
    }

    @Test func observationsGiveTheLatestAndTheValidOnesNewestFirst() throws {
        let database = try StoreTestSupport.database()
        try database.write { db in
            #expect(try AllowlistObservationStore.latest(db) == nil)
            var ids: [Int64] = []
            for (index, text) in ["one", "two", "three"].enumerated() {
                ids.append(
                    try AllowlistVersionStore.insert(
                        db, content: text, sha256: text, path: "p\(index)", at: Self.time("2026-10-01T00:00:00Z"), base: nil))
            }
            _ = try AllowlistObservationStore.append(db, versionID: ids[0], path: "p0", seenAt: Self.time("2026-10-01T00:00:00Z"), valid: true)
            _ = try AllowlistObservationStore.append(db, versionID: ids[1], path: "p1", seenAt: Self.time("2026-10-02T00:00:00Z"), valid: true)
            _ = try AllowlistObservationStore.append(db, versionID: ids[2], path: "p2", seenAt: Self.time("2026-10-03T00:00:00Z"), valid: false)
            #expect(try AllowlistObservationStore.latest(db) == .init(versionID: ids[2], sha256: "three", path: "p2", valid: false))
            #expect(try AllowlistObservationStore.validNewestFirst(db).map(\.sha256) == ["two", "one"])
        }
    }

    @Test func editsAreListedInOrderWithinInclusiveBounds() throws {
        let database = try StoreTestSupport.database()
        let times = ["2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", "2026-10-09T00:00:00Z"]
        let ids = try database.write { db in
            try times.map { time in
                try AllowlistEditStore.append(
                    db,
                    AllowlistEditRecord(
                        at: Self.time(time), by: "admin", action: "add", entryID: "AB-\(time.prefix(10))", reason: nil,
                        summary: "added"))
            }
        }
        try database.read { db in
            #expect(try AllowlistEditStore.all(db).map(\.id) == ids)
            let middle = try AllowlistEditStore.edits(db, from: Self.time(times[1]), to: Self.time(times[1]))
            #expect(middle.map(\.id) == [ids[1]] && middle.first?.at == Self.time(times[1]))
            #expect(try AllowlistEditStore.edits(db, from: Self.time(times[1]), to: nil).count == 2)
            #expect(try AllowlistEditStore.edits(db, from: nil, to: Self.time(times[0])).count == 1)
        }
    }

    @Test("an edit time that does not parse names its row, even one written as a number (the column keeps it as text)")
    func editTimes() throws {
        let database = try StoreTestSupport.database()
        for (id, at) in [("1", "'yesterday'"), ("2", "86400")] {
            try database.write { db in
                try db.execute(sql: "DELETE FROM allowlist_edit")
                try db.execute(
                    sql: "INSERT INTO allowlist_edit (id, at, by, action, entry_id, summary) VALUES (\(id), \(at), 'x', 'add', 'AB-1', 's')")
            }
            StoreTestSupport.expectUndecodable(table: "allowlist_edit", row: id, column: "at") {
                _ = try database.read { db in try AllowlistEditStore.all(db) }
            }
        }
    }

    @Test("an edit with an action the tool never writes is an error naming the row, not a dropped edit")
    func unknownEditAction() throws {
        let database = try StoreTestSupport.database()
        try database.write { db in
            _ = try AllowlistEditStore.append(
                db, AllowlistEditRecord(at: Self.time("2026-10-01T00:00:00Z"), by: "x", action: "grant", entryID: "AB-1", reason: nil, summary: "s"))
        }
        StoreTestSupport.expectUndecodable(table: "allowlist_edit", row: "1", column: "action") {
            _ = try database.read { db in try AllowlistHistory.edits(db, from: nil, to: nil) }
        }
    }

    @Test func changesKeepTheirFieldsAndRefuseFieldsThatAreNotAJSONList() throws {
        let database = try StoreTestSupport.database()
        try database.write { db in
            let version = try AllowlistVersionStore.insert(
                db, content: "v", sha256: "v", path: "p", at: Self.time("2026-10-01T00:00:00Z"), base: nil)
            let observation = try AllowlistObservationStore.append(
                db, versionID: version, path: "p", seenAt: Self.time("2026-10-01T00:00:00Z"), valid: true)
            try AllowlistChangeStore.append(
                db,
                AllowlistChangeRecord(
                    observationID: observation, seenAt: Self.time("2026-10-01T00:00:00Z"), kind: "changed", entryID: "AB-1",
                    fromSHA256: "u", toSHA256: "v", fields: ["expires_on", "aliases"]))
            #expect(try AllowlistChangeStore.changes(db, from: nil, to: nil).map(\.fields) == [["expires_on", "aliases"]])
            #expect(try AllowlistChangeStore.changes(db, from: Self.time("2026-10-02T00:00:00Z"), to: nil).isEmpty)
            try db.execute(sql: "UPDATE allowlist_change SET fields = 'expires_on'")
        }
        StoreTestSupport.expectUndecodable(table: "allowlist_change", row: "1", column: "fields") {
            _ = try database.read { db in try AllowlistChangeStore.changes(db, from: nil, to: nil) }
        }
    }

    @Test("an intent is resolved once: the second process to claim it finds it settled")
    func intentsResolveOnce() throws {
        let database = try StoreTestSupport.database()
        let at = Self.time("2026-10-01T00:00:00Z")
        try database.write { db in
            let id = try AllowlistEditIntentStore.begin(
                db,
                AllowlistEditIntentRecord(
                    path: "/r/allowlist.yaml", at: at, by: "admin", action: "add", entryID: "AB-1", reason: "why",
                    summary: "added", beforeSHA256: "b", afterSHA256: "a"))
            #expect(try AllowlistEditIntentStore.pending(db, path: "/r/allowlist.yaml").map(\.id) == [id])
            #expect(try AllowlistEditIntentStore.pending(db, path: "/other.yaml").isEmpty)
            #expect(try AllowlistEditIntentStore.resolve(db, intent: id, as: .completed, at: at))
            #expect(try !AllowlistEditIntentStore.resolve(db, intent: id, as: .rolledBack, at: at))
            let editID = try AllowlistEditStore.append(
                db, AllowlistEditRecord(at: at, by: "admin", action: "add", entryID: "AB-1", reason: "why", summary: "added"))
            try AllowlistEditIntentStore.attach(db, editID: editID, toIntent: id)
            let stored = try #require(try AllowlistEditIntentRecord.fetchOne(db, key: id))
            #expect(stored.state == .completed && stored.editID == editID && stored.resolvedAt == at)
            #expect(try AllowlistEditIntentStore.pending(db, path: "/r/allowlist.yaml").isEmpty)
            try db.execute(sql: "UPDATE allowlist_edit_intent SET state = 'pending', at = 'soon'")
        }
        StoreTestSupport.expectUndecodable(table: "allowlist_edit_intent", row: "1", column: "at") {
            _ = try database.read { db in try AllowlistEditIntentStore.pending(db, path: "/r/allowlist.yaml") }
        }
    }
}
