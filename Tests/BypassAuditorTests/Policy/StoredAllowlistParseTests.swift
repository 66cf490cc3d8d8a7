import Foundation
import GRDB
import Testing
import TestSupport

import BypassAuditor
@testable import Core
@testable import Inventory
@testable import Policy
@testable import Store

/// The stored parse of a register version: the same result as parsing, taken only for the same bytes, path and parser
/// revision, never trusted when it does not decode, and held to the version's text by `verify`.
@Suite("Stored register parse")
struct StoredAllowlistParseTests {
    /// A register touching every part of a parse: settings, admins, aliases, every category, dates, a warning (an
    /// entry missing fields) and positions.
    static let register = """
        version: 1
        review_interval_days: 60
        expiry_warning_days: 14
        authorized_admins:
          - exo-admin@contoso.com
          - "Ops Admin"
        entries:
        \(completeEntry("AB-0001", account: "svc-backup@contoso.com", aliases: "[svc-backup, 'CN=svc-backup,OU=Svc']"))
          - id: AB-0002
            account: legal-hold@contoso.com
            category: lawful-monitoring
            legal_basis: Court order 2026/17
            owner: legal@contoso.com
            justification: Monitoring ordered by the court.
            approved_by: general-counsel@contoso.com
            approved_on: 2026-02-01
            last_reviewed_on: 2026-09-01
            ticket: LEG-4
            expires_on: 2026-12-31
          - id: AB-0003
            account: svc-archive@contoso.com
            category: third-party-tool

        """

    static func writeRegister(_ text: String, in directory: URL, name: String = "allowlist.yaml") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A new database, and the reference register written to a new folder; `checkedOut`: taken once through
    /// `RegisterCheckout` (its version and parse stored).
    static func setUp(checkedOut: Bool) throws -> (directory: URL, database: AuditDatabase, path: String) {
        let directory = try TestPaths.temporaryDirectory()
        let database = try StoreTestDatabase.make()
        let path = try writeRegister(register, in: directory)
        if checkedOut { _ = try RegisterCheckout.load(path: path, into: database, at: StoreTestDatabase.time(0)) }
        return (directory, database, path)
    }

    static func storedRows(_ database: AuditDatabase) throws -> [AllowlistParseStore.Parse] {
        try database.read { db in try AllowlistParseStore.all(db) }
    }

    @Test("the first run parses and stores; the next takes the stored parse, equal to a fresh one")
    func storedParseEqualsFreshParse() throws {
        let (_, database, path) = try Self.setUp(checkedOut: false)
        let fresh = try AllowlistLoader.load(path: path)
        #expect(fresh.isValid && !fresh.warnings.isEmpty, "the reference register is valid, with warnings")

        let first = try RegisterCheckout.load(path: path, into: database, at: StoreTestDatabase.time(0))
        let rows = try Self.storedRows(database)
        #expect(rows.map(\.sha256) == [fresh.sha256] && rows.map(\.path) == [path])
        #expect(rows.map(\.parserRevision) == [StoredAllowlistParse.revision])

        let (again, wasStored) = try StoredAllowlistParse.load(path: path, from: database)
        #expect(wasStored)
        #expect(again == fresh, "the stored parse gives the whole load result: register, issues, text, digest, path")
        #expect(first == fresh.allowlist)
        #expect(try database.read { db in try ChainVerifier.verify(db) }.ok)
    }

    @Test("a parse is taken only for the same bytes and the same path; a new version replaces the old one's")
    func keyedByBytesAndPath() throws {
        let (directory, database, path) = try Self.setUp(checkedOut: true)

        // The same bytes under another name: parsed again, since every issue names its file.
        let copy = try Self.writeRegister(Self.register, in: directory, name: "copy.yaml")
        let (underCopy, storedUnderCopy) = try StoredAllowlistParse.load(path: copy, from: database)
        #expect(!storedUnderCopy)
        #expect(underCopy.warnings.allSatisfy { $0.file == copy } && underCopy.allowlist?.path == copy)

        // An edit: the new version is parsed (its new entry counts), and its parse replaces the earlier version's.
        let edited = Self.register + completeEntry("AB-0004", account: "svc-new@contoso.com")
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        let (beforeRun, storedBefore) = try StoredAllowlistParse.load(path: path, from: database)
        #expect(!storedBefore && beforeRun.allowlist?.entries.map(\.id).last == "AB-0004")
        let register = try RegisterCheckout.load(path: path, into: database, at: StoreTestDatabase.time(60))
        #expect(register.entries.map(\.id) == ["AB-0001", "AB-0002", "AB-0003", "AB-0004"])
        #expect(try Self.storedRows(database).map(\.sha256) == [SHA256Digest.hex(of: Data(edited.utf8))])
        #expect(try database.read { db in try ChainVerifier.verify(db) }.ok)
    }

    @Test("a parse stored by another parser revision, or one that does not decode, is never used")
    func otherRevisionsAndDamageAreIgnored() throws {
        let (_, database, path) = try Self.setUp(checkedOut: false)
        let fresh = try AllowlistLoader.load(path: path)
        _ = try RegisterCheckout.load(path: path, into: database, at: StoreTestDatabase.time(0))
        // A parse that approves nobody, stored as another revision would have: not this loader's, so not used.
        var empty = fresh
        empty.allowlist?.entries = []
        try database.write { db in
            try db.execute(sql: "DELETE FROM allowlist_parse")
            try AllowlistParseStore.store(
                db, sha256: fresh.sha256, path: path, revision: StoredAllowlistParse.revision + 1,
                bytes: try StoredAllowlistParse.encoded(empty), at: StoreTestDatabase.time(0))
        }
        let (otherRevision, wasStored) = try StoredAllowlistParse.load(path: path, from: database)
        #expect(!wasStored && otherRevision == fresh)

        // This revision's row, damaged: parsed again rather than trusted, and `verify` names the row.
        try database.write { db in
            try AllowlistParseStore.store(
                db, sha256: fresh.sha256, path: path, revision: StoredAllowlistParse.revision,
                bytes: Data("{\"issues\": [".utf8), at: StoreTestDatabase.time(0))
        }
        let (damaged, damagedWasStored) = try StoredAllowlistParse.load(path: path, from: database)
        #expect(!damagedWasStored && damaged == fresh)
        let problems = try database.read { db in try StoredAllowlistParse.problems(db) }
        #expect(problems.map(\.table) == ["allowlist_parse"] && problems.first?.detail.contains("cannot be read") == true)
    }

    @Test("verify finds a parse edited to approve an account the register does not name, even past the write guard")
    func verifyFindsAForgedParse() throws {
        let (_, database, path) = try Self.setUp(checkedOut: true)

        // Someone impersonating the tool adds an approval for the account they want hidden.
        var forged = try AllowlistLoader.load(path: path)
        forged.allowlist?.entries.append(AllowlistEntry(id: "AB-9999", account: "attacker@contoso.com"))
        let hex = try StoredAllowlistParse.encoded(forged).map { String(format: "%02x", $0) }.joined()
        try OutsideEdit.impersonatingTheTool(database.path, "UPDATE allowlist_parse SET parse = x'\(hex)'")
        #expect(try database.read { db in try WriteGuard.standing(db) }.intact, "the guard cannot see this edit")
        let report = try database.read { db in try ChainVerifier.verify(db) }
        #expect(!report.ok)
        #expect(report.problems.contains { $0.table == "allowlist_parse" && $0.detail.contains("not what the register version's text parses to") })
        #expect(report.crossChecked.contains("allowlist-parse"))
        // Outside the tool the row cannot even be written while the guard stands.
        #expect(throws: DatabaseError.self) {
            try OutsideEdit.plain(database.path, "UPDATE allowlist_parse SET parse = x'00'")
        }
    }

    @Test("on a read-only database the stored parse is used, and a register without one is parsed and not stored")
    func readOnlyDatabase() throws {
        let (directory, writable, path) = try Self.setUp(checkedOut: true)
        let dbPath = writable.path
        let readOnly = try AuditDatabase(path: dbPath, access: .readOnly)
        let (stored, wasStored) = try StoredAllowlistParse.load(path: path, from: readOnly)
        let fresh = try AllowlistLoader.load(path: path)
        #expect(wasStored && stored == fresh)

        let other = try Self.writeRegister(Self.register + "# another version\n", in: directory, name: "other.yaml")
        let register = try RegisterCheckout.load(path: other, into: readOnly, at: StoreTestDatabase.time(60))
        #expect(register.entries.count == 3)
        #expect(try Self.storedRows(writable).map(\.path) == [path])
    }

    /// Pins what the loader makes of `register` to `StoredAllowlistParse.revision`. When this fails, the loader's
    /// output changed: raise `revision` (so parses stored by the earlier loader are never used), then put the new
    /// digest here.
    @Test("the parse of the reference register is pinned to the parser revision")
    func parseIsPinnedToTheRevision() throws {
        let result = AllowlistLoader.load(content: Self.register, path: "Policies/allowlist.yaml")
        let digest = SHA256Digest.hex(of: try StoredAllowlistParse.encoded(result))
        #expect(StoredAllowlistParse.revision == 1)
        #expect(digest == "1b92cedfc357c3f2efcff014980fb7373ae22e1c0a70f5f2c137c021f0f3e7b3", "the loader's parse changed: raise StoredAllowlistParse.revision, then update this digest")
    }
}
