import Foundation
import GRDB
import Testing

/// A database written by main at f1f34b5 (before `v8-register-parse`): it migrates, its first drift parses the register
/// and stores the parse, the next drift takes it from the store, and both answer exactly as the old binary did.
@Suite("Upgrade: a database from main f1f34b5 gains stored register parses and answers the same")
struct RegisterParseUpgradeTests {
    /// Where `make-fixture-f1f34b5.sh` ran: the old drift output names the register by this path.
    static let fixtureRegisterPath = "/work/main/Policies/allowlist.yaml"

    static func storedParses(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: "SELECT path FROM allowlist_parse") }
    }

    @Test("drift before and after the parse is stored: byte for byte the old binary's output; verify passes")
    func driftAnswersTheSame() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("upgraded.sqlite")
        try FileManager.default.copyItem(
            atPath: UpgradeTests.fixtures.appendingPathComponent("main-f1f34b5.sqlite").path, toPath: db)
        let oldText = try String(
            contentsOf: UpgradeTests.fixtures.appendingPathComponent("drift-f1f34b5-2026-10.json"), encoding: .utf8)
        let expected = oldText.replacingOccurrences(of: Self.fixtureRegisterPath, with: UpgradeTests.allowlist)
        let arguments = ["drift", "--db", db, "--allowlist", UpgradeTests.allowlist, "--period", "2026-10", "--json"]

        let first = try CLI.run(arguments)
        #expect(first.status == 3, "\(first.stderr)")
        #expect(first.stdout == expected)
        #expect(try Self.storedParses(db) == [UpgradeTests.allowlist], "the first run stores the register's parse")

        let second = try CLI.run(arguments)
        #expect(second.status == 3, "\(second.stderr)")
        #expect(second.stdout == expected, "the stored parse judges exactly as the YAML did")

        let verified = try CLI.run(["verify", "--db", db, "--json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let report = try verified.json()
        #expect(report["ok"] as? Bool == true)
        #expect((report["cross_checked"] as? [String])?.contains("allowlist-parse") == true)
    }
}
