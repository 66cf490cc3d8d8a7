import Foundation
import GRDB
import Testing
import TestSupport

@testable import BypassAuditor
@testable import Core
@testable import Policy
@testable import Store

/// Taking the register in two steps: its version recorded first, an unchanged one's stored parse decoded when the
/// register is wanted; an invalid register refused at the first step.
@Suite("Register checkout")
struct RegisterCheckoutTests {
    typealias P = StoredAllowlistParseTests

    static func observations(_ database: AuditDatabase) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM allowlist_observation") ?? 0 }
    }

    static func isDeferred(_ recorded: RecordedRegister) -> Bool {
        if case .stored = recorded.parse { return true }
        return false
    }

    @Test("an unchanged register found valid records nothing, and its stored parse is decoded when wanted")
    func unchangedRegisterIsDecodedLater() throws {
        let (_, database, path) = try P.setUp(checkedOut: true)
        let observed = try Self.observations(database)
        let head = try database.read { db in try Ledger.head(db) }

        let recorded = try RegisterCheckout.record(path: path, into: database, at: StoreTestDatabase.time(60))
        #expect(Self.isDeferred(recorded))
        #expect(try Self.observations(database) == observed)
        #expect(try database.read { db in try Ledger.head(db) } == head)
        #expect(try recorded.register() == AllowlistLoader.load(path: path).allowlist)
    }

    @Test("a changed register is recorded and parsed at once")
    func changedRegisterIsParsedAtOnce() throws {
        let (_, database, path) = try P.setUp(checkedOut: true)
        let observed = try Self.observations(database)
        try Data((P.register + completeEntry("AB-0004", account: "svc-new@contoso.com")).utf8)
            .write(to: URL(fileURLWithPath: path))

        let recorded = try RegisterCheckout.record(path: path, into: database, at: StoreTestDatabase.time(60))
        #expect(!Self.isDeferred(recorded))
        #expect(try Self.observations(database) == observed + 1)
        #expect(try recorded.register().entries.map(\.id).last == "AB-0004")
    }

    @Test("an invalid register is refused when it is recorded, the first time and every time after")
    func invalidRegisterIsRefusedAtOnce() throws {
        let (_, database, path) = try P.setUp(checkedOut: true)
        let observed = try Self.observations(database)
        try Data((P.register + "  - id: AB-0001\n    account: duplicate@contoso.com\n").utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(!(try AllowlistLoader.load(path: path)).isValid)

        for minute in [60, 120] {
            #expect(throws: InvalidRegisterError.self) {
                _ = try RegisterCheckout.record(path: path, into: database, at: StoreTestDatabase.time(minute))
            }
        }
        // Recorded once (as invalid), its parse stored; refused the second time all the same.
        #expect(try Self.observations(database) == observed + 1)
        #expect(try P.storedRows(database).map(\.sha256) == [try AllowlistLoader.load(path: path).sha256])
    }

    @Test("a stored parse that no longer decodes, found only when the register is wanted, is parsed around")
    func damagedParseIsParsedAround() throws {
        let (_, database, path) = try P.setUp(checkedOut: true)
        let fresh = try AllowlistLoader.load(path: path)
        try database.write { db in
            try AllowlistParseStore.store(
                db, sha256: fresh.sha256, path: path, revision: StoredAllowlistParse.revision,
                bytes: Data("{\"issues\": [".utf8), at: StoreTestDatabase.time(0))
        }
        let recorded = try RegisterCheckout.record(path: path, into: database, at: StoreTestDatabase.time(60))
        #expect(Self.isDeferred(recorded))
        #expect(try recorded.register() == fresh.allowlist)
    }

    @Test("on a read-only database an unchanged register is decoded later; one never seen is parsed and checked at once")
    func readOnlyDatabase() throws {
        let (directory, writable, path) = try P.setUp(checkedOut: true)
        let readOnly = try AuditDatabase(path: writable.path, access: .readOnly)
        let unchanged = try RegisterCheckout.record(path: path, into: readOnly, at: StoreTestDatabase.time(60))
        #expect(Self.isDeferred(unchanged))
        #expect(try unchanged.register() == AllowlistLoader.load(path: path).allowlist)

        let invalid = try P.writeRegister(
            P.register + "  - id: AB-0001\n    account: duplicate@contoso.com\n", in: directory, name: "invalid.yaml")
        #expect(throws: InvalidRegisterError.self) {
            _ = try RegisterCheckout.record(path: invalid, into: readOnly, at: StoreTestDatabase.time(60))
        }
    }
}
