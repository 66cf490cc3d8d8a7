import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Policy
@testable import Store

@Suite struct AllowlistHistoryTests {
    static let base =
        "version: 1\nentries:\n" + completeEntry("AB-0001", account: "a@x.com") + completeEntry("AB-0002", account: "b@x.com")

    static func time(_ text: String) -> Date { UTCTimestamp.parse(text)! }

    static func openDatabase() throws -> AuditDatabase {
        try AuditDatabase(path: try TestPaths.temporaryDirectory().appendingPathComponent("db.sqlite").path)
    }

    static func record(_ database: AuditDatabase, _ content: String, at: String) throws -> [AllowlistVersionChange] {
        let result = AllowlistLoader.load(content: content, path: "Policies/allowlist.yaml")
        return try database.write { db in try AllowlistHistory.record(db, result, path: "Policies/allowlist.yaml", at: time(at)) }
    }

    @Test func directEditsBetweenRunsShowAsAddedChangedRemoved() throws {
        let database = try Self.openDatabase()
        #expect(try Self.record(database, Self.base, at: "2026-10-01T00:00:00Z").isEmpty, "the first version is the baseline")
        #expect(try Self.record(database, Self.base, at: "2026-10-02T00:00:00Z").isEmpty, "an unchanged register adds nothing")

        // An admin edits the file in git: AB-0001's expiry moves, AB-0002 goes, AB-0003 arrives; comments change too.
        let edited =
            "# edited by hand\nversion: 1\nentries:\n"
            + completeEntry("AB-0001", account: "a@x.com", replacing: ["expires_on": "expires_on: 2027-06-30"])
            + completeEntry("AB-0003", account: "c@x.com")
        let changes = try Self.record(database, edited, at: "2026-10-15T08:30:00.123Z")
        let oldSHA = SHA256Digest.hex(of: Self.base)
        let newSHA = SHA256Digest.hex(of: edited)
        let seen = Self.time("2026-10-15T08:30:00.123Z")
        #expect(
            changes == [
                AllowlistVersionChange(kind: .changed, entryID: "AB-0001", seenAt: seen, fromSHA256: oldSHA, toSHA256: newSHA, fields: ["expires_on"]),
                AllowlistVersionChange(kind: .added, entryID: "AB-0003", seenAt: seen, fromSHA256: oldSHA, toSHA256: newSHA),
                AllowlistVersionChange(kind: .removed, entryID: "AB-0002", seenAt: seen, fromSHA256: oldSHA, toSHA256: newSHA),
            ])
        try database.read { db in
            #expect(try AllowlistHistory.changes(db, from: nil, to: nil) == changes)
            #expect(try AllowlistHistory.changes(db, from: Self.time("2026-10-16T00:00:00Z"), to: nil).isEmpty)
            #expect(try AllowlistHistory.changes(db, from: Self.time("2026-10-15T00:00:00Z"), to: Self.time("2026-10-15T23:59:59Z")).count == 3)
            #expect(try AllowlistHistory.content(db, sha256: oldSHA) == Self.base)
            let versions = try Row.fetchAll(db, sql: "SELECT sha256, content, path, first_seen_at FROM allowlist_version ORDER BY id")
            #expect(versions.map { $0["sha256"] as String } == [oldSHA, newSHA])
            #expect(versions.map { $0["first_seen_at"] as String } == ["2026-10-01T00:00:00.000Z", "2026-10-15T08:30:00.123Z"])
            // Each version is chained by its digest and length (the ref pins the text down; verify rebuilds it),
            // each observation and each entry-level change by its row (the direct edit rests on them).
            let chain = try Row.fetchAll(db, sql: "SELECT kind, ref, content FROM ledger ORDER BY seq")
            #expect(
                chain.map { $0["kind"] as String } == [
                    "allowlist-version", "allowlist-observation", "allowlist-version", "allowlist-observation",
                    "allowlist-change", "allowlist-change", "allowlist-change",
                ])
            #expect(chain.filter { $0["kind"] as String == "allowlist-change" }.map { $0["ref"] as String } == ["1", "2", "3"])
            let ledger = chain.filter { $0["kind"] as String == "allowlist-version" }
            #expect(ledger.map { $0["ref"] as String } == [oldSHA, newSHA])
            #expect(
                ledger.map { $0["content"] as String } == [
                    "sha256:\(oldSHA) bytes:\(Self.base.utf8.count)", "sha256:\(newSHA) bytes:\(edited.utf8.count)",
                ])
            #expect(try AllowlistHistory.content(db, sha256: newSHA) == edited)
        }

        // Reverting to the first text is a change too, although that version is already stored.
        let reverted = try Self.record(database, Self.base, at: "2026-10-20T00:00:00Z")
        #expect(reverted.map(\.kind) == [.changed, .added, .removed])
        #expect(reverted.map(\.entryID) == ["AB-0001", "AB-0002", "AB-0003"])
        let versionCount = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM allowlist_version") }
        #expect(versionCount == 2)
    }

    @Test func anInvalidVersionIsStoredAndItsChangesCountFromTheLastValidOne() throws {
        let database = try Self.openDatabase()
        _ = try Self.record(database, Self.base, at: "2026-10-01T00:00:00Z")
        let broken = Self.base + "    colour: red\n"
        #expect(try Self.record(database, broken, at: "2026-10-02T00:00:00Z").isEmpty)
        let fixed = Self.base + completeEntry("AB-0003", account: "c@x.com")
        let changes = try Self.record(database, fixed, at: "2026-10-03T00:00:00Z")
        #expect(changes.map(\.kind) == [.added])
        #expect(changes.first?.fromSHA256 == SHA256Digest.hex(of: Self.base))
        let stored = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM allowlist_version") }
        #expect(stored == 3)
    }

    @Test func editsAreLoggedAndChainedWithTheirVersions() throws {
        let workspace = try EditorWorkspace(content: Self.base)
        let renewAt = Self.time("2026-11-20T09:00:00.456Z")
        let added = try workspace.editor.add(newEntry(account: "c@x.com"), reason: "new product", at: Self.time("2026-11-10T12:00:00Z"))
        let renewed = try workspace.editor.renew(
            id: "AB-0001", reviewedOn: day("2026-11-20"), expiresOn: day("2027-11-20"), reason: "reviewed with owner", at: renewAt)
        let removed = try AllowlistEditor(path: workspace.path, database: workspace.database, by: "  ").remove(
            id: "AB-0002", reason: "decommissioned", at: Self.time("2026-11-25T00:00:00Z"))
        #expect(removed.edit.by == LoginName.current(), "without --by, the login name")
        #expect([added.editID, renewed.editID, removed.editID] == [1, 2, 3])

        try workspace.database.read { db in
            let edits = try AllowlistHistory.edits(db, from: nil, to: nil)
            #expect(edits == [added.edit, renewed.edit, removed.edit])
            #expect(edits.map(\.action) == [.add, .renew, .remove])
            #expect(edits.map(\.reason) == ["new product", "reviewed with owner", "decommissioned"])
            #expect(edits[0].summary == "added AB-0003 (c@x.com, third-party-tool, expires 2027-11-01)")
            #expect(try AllowlistHistory.edits(db, from: Self.time("2026-11-15T00:00:00Z"), to: Self.time("2026-11-21T00:00:00Z")) == [renewed.edit])

            // Ledger: the starting version, then per edit its log row and the version it produced.
            let ledger = try Row.fetchAll(db, sql: "SELECT kind, ref, content, prev_hash, hash FROM ledger ORDER BY seq")
            #expect(
                ledger.map { $0["kind"] as String } == [
                    "allowlist-version", "allowlist-observation", "allowlist-edit", "allowlist-version",
                    "allowlist-observation", "allowlist-change", "allowlist-edit", "allowlist-version",
                    "allowlist-observation", "allowlist-change", "allowlist-edit", "allowlist-version",
                    "allowlist-observation", "allowlist-change",
                ])
            let editLinks = ledger.filter { $0["kind"] as String == "allowlist-edit" }
            #expect(editLinks.map { $0["ref"] as String } == ["1", "2", "3"])
            for (link, edit) in zip(editLinks, edits) {
                #expect(link["content"] as String == (try JSONCoding.string(edit, pretty: false)))
            }
            // The edit content can be rebuilt from the table's columns (what `verify` cross-checks).
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM allowlist_edit WHERE id = 2"))
            let rebuilt = AllowlistEdit(
                at: UTCTimestamp.parse(row["at"])!, by: row["by"], action: AllowlistEdit.Action(rawValue: row["action"])!,
                entryID: row["entry_id"], reason: row["reason"], summary: row["summary"])
            #expect(try JSONCoding.string(rebuilt, pretty: false) == editLinks[1]["content"] as String)
            #expect(row["at"] as String == "2026-11-20T09:00:00.456Z")
            var previous = Ledger.genesis
            for link in ledger {
                #expect(link["prev_hash"] as String == previous)
                let hash = Ledger.chainHash(previous: previous, kind: link["kind"], ref: link["ref"], content: link["content"])
                #expect(link["hash"] as String == hash)
                previous = hash
            }
            let changes = try AllowlistHistory.changes(db, from: nil, to: nil)
            #expect(changes.map { "\($0.kind.rawValue) \($0.entryID)" } == ["added AB-0003", "changed AB-0001", "removed AB-0002"])
        }
        // A later run that sees the file as the tool left it records nothing new.
        let current = try AllowlistLoader.load(path: workspace.path)
        let again = try workspace.database.write { db in try AllowlistHistory.record(db, current, path: workspace.path, at: Date()) }
        #expect(again.isEmpty)
    }

    @Test func loginNameFallsBackFromUserToLognameToPasswordDatabase() {
        #expect(LoginName.current(environment: ["USER": "alice", "LOGNAME": "bob"]) == "alice")
        #expect(LoginName.current(environment: ["USER": " ", "LOGNAME": "bob"]) == "bob")
        #expect(!LoginName.current(environment: [:]).isEmpty)
    }
}
