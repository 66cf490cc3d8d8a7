import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Policy
@testable import Store

/// A temp folder holding a register copy and a database, with an editor on them.
struct EditorWorkspace {
    let folder: URL
    let path: String
    let database: AuditDatabase
    let editor: AllowlistEditor
    static let now = UTCTimestamp.parse("2026-11-29T10:00:00Z")!

    init(content: String, name: String = "allowlist.yaml") throws {
        folder = try TestPaths.temporaryDirectory()
        path = folder.appendingPathComponent(name).path
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        editor = AllowlistEditor(path: path, database: database, by: "tester")
    }

    init(fixture: String) throws {
        try self.init(content: try String(contentsOf: TestPaths.fixture(fixture), encoding: .utf8))
    }

    var bytes: Data { (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data() }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    func editCount() throws -> Int { try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM allowlist_edit") ?? 0 } }
}

func day(_ text: String) -> UTCDay { UTCDay(text)! }

/// A complete third-party-tool entry for `add`.
func newEntry(id: String = "", account: String = "new@contoso.com", aliases: [String] = []) -> AllowlistEntry {
    AllowlistEntry(
        id: id, account: account, aliases: aliases, category: .thirdPartyTool, tool: "New Tool", owner: "ops@contoso.com",
        justification: "Reads mailboxes.", approvedBy: "ciso@contoso.com", approvedOn: day("2026-11-01"), ticket: "CHG-77",
        expiresOn: day("2027-11-01"))
}

@Suite struct AllowlistEditorTests {
    static let fixture = "Policy/commented-register.yaml"
    static var original: String { try! String(contentsOf: TestPaths.fixture(fixture), encoding: .utf8) }

    /// The text of T-0002's block as it sits in the fixture (leading comment to trailing note).
    static let secondBlock = """
        # About T-0002: lawful monitoring for case 42.
        -   id: T-0002
            account: svc-b@contoso.com
            aliases:
              - svc-b
              - b-guid
            category: lawful-monitoring
            legal_basis: Case 42
            owner: legal@contoso.com
            justification: monitoring
            approved_by: counsel@contoso.com
            approved_on: 2026-02-01
            ticket: LEG-1
            expires_on: 2027-02-01
            # trailing note inside T-0002

        """

    static let thirdBlock = """
        -   id: T-0003
            account: svc-c@contoso.com
            category: third-party-tool
            tool: C
            owner: c@contoso.com
            justification: c
            approved_by: c@contoso.com
            approved_on: 2026-03-01
            ticket: C-1
            last_reviewed_on:
            expires_on: 2027-03-01

        """

    static func replacing(_ text: String, _ old: String, _ new: String) throws -> String {
        #expect(text.components(separatedBy: old).count == 2, "fixture text to replace must occur once: \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    @Test func removeMiddleEntryTakesItsCommentAndSeparatorOnly() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        let outcome = try workspace.editor.remove(id: "T-0002", reason: "case closed", at: EditorWorkspace.now)
        #expect(workspace.text == (try Self.replacing(Self.original, "\n" + Self.secondBlock, "")))
        #expect(outcome.edit.action == .remove && outcome.edit.reason == "case closed" && outcome.edit.by == "tester")
        #expect(outcome.changes.map(\.kind) == [.removed])
    }

    @Test func removeFirstEntryKeepsTheListComment() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        try workspace.editor.remove(id: "t-0001", reason: "gone", at: EditorWorkspace.now)
        let start = try #require(Self.original.range(of: "-   id: T-0001"))
        let end = try #require(Self.original.range(of: "# About T-0002"))
        let expected = String(Self.original[..<start.lowerBound]) + String(Self.original[end.lowerBound...])
        #expect(workspace.text == expected)
        #expect(workspace.text.contains("# The list starts here"))
    }

    @Test func removeLastEntryKeepsTheClosingComment() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        try workspace.editor.remove(id: "T-0003", reason: "gone", at: EditorWorkspace.now)
        #expect(workspace.text == (try Self.replacing(Self.original, "\n" + Self.thirdBlock, "")))
        #expect(workspace.text.hasSuffix("    # trailing note inside T-0002\n# end of the register\n"))
    }

    @Test func renewRewritesOnlyTheTwoValues() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        let outcome = try workspace.editor.renew(
            id: "T-0001", reviewedOn: day("2026-11-20"), expiresOn: day("2027-11-20"), reason: "still needed", at: EditorWorkspace.now)
        var expected = try Self.replacing(Self.original, "    last_reviewed_on: '2026-10-01'\n", "    last_reviewed_on: 2026-11-20\n")
        expected = try Self.replacing(expected, "    expires_on: 2027-01-15    # renewal due\n", "    expires_on: 2027-11-20    # renewal due\n")
        #expect(workspace.text == expected)
        #expect(outcome.edit.summary == "renewed T-0001: reviewed 2026-11-20 (was 2026-10-01); expires_on 2027-01-15 → 2027-11-20")
        #expect(outcome.changes.map(\.fields) == [["last_reviewed_on", "expires_on"]])
    }

    @Test func renewAddsAMissingReviewLineAtTheEndOfTheEntry() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        try workspace.editor.renew(id: "T-0002", reviewedOn: day("2026-11-20"), at: EditorWorkspace.now)
        let expected = try Self.replacing(
            Self.original, "    # trailing note inside T-0002\n",
            "    # trailing note inside T-0002\n    last_reviewed_on: 2026-11-20\n")
        #expect(workspace.text == expected)
    }

    @Test func renewFillsAnEmptyValue() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        try workspace.editor.renew(id: "T-0003", reviewedOn: day("2026-11-20"), expiresOn: day("2027-03-02"), at: EditorWorkspace.now)
        var expected = try Self.replacing(Self.original, "    last_reviewed_on:\n", "    last_reviewed_on: 2026-11-20\n")
        expected = try Self.replacing(expected, "    expires_on: 2027-03-01\n", "    expires_on: 2027-03-02\n")
        #expect(workspace.text == expected)
    }

    @Test func addAppendsABlockInTheFilesOwnStyle() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        let outcome = try workspace.editor.add(
            newEntry(aliases: ["new", "x: y"]), reason: "new backup product", at: EditorWorkspace.now)
        #expect(outcome.edit.entryID == "T-0004", "the next free id follows the file's own numbering")
        let block = """

            -   id: T-0004
                account: new@contoso.com
                aliases: [new, "x: y"]
                category: third-party-tool
                tool: New Tool
                owner: ops@contoso.com
                justification: Reads mailboxes.
                approved_by: ciso@contoso.com
                approved_on: 2026-11-01
                ticket: CHG-77
                expires_on: 2027-11-01

            """
        let expected = try Self.replacing(Self.original, "    expires_on: 2027-03-01\n", "    expires_on: 2027-03-01\n" + block)
        #expect(workspace.text == expected)
        #expect(outcome.edit.summary == "added T-0004 (new@contoso.com, third-party-tool, expires 2027-11-01)")
        #expect(outcome.changes.map(\.kind) == [.added])
    }

    @Test func addFollowsBlockAliasStyleAndIndentation() throws {
        let yaml = """
            version: 1
            entries:
                -  id: X-9
                   account: a@x.com
                   aliases:
                       - a
                   category: third-party-tool
                   tool: T
                   owner: o
                   justification: j
                   approved_by: c
                   approved_on: 2026-01-15
                   ticket: CHG-1
                   expires_on: 2027-01-15

            """
        let workspace = try EditorWorkspace(content: yaml)
        try workspace.editor.add(newEntry(aliases: ["n1", "n2"]), at: EditorWorkspace.now)
        let block = """
                -  id: X-10
                   account: new@contoso.com
                   aliases:
                       - n1
                       - n2
                   category: third-party-tool
                   tool: New Tool
                   owner: ops@contoso.com
                   justification: Reads mailboxes.
                   approved_by: ciso@contoso.com
                   approved_on: 2026-11-01
                   ticket: CHG-77
                   expires_on: 2027-11-01

            """
        #expect(workspace.text == yaml + block)
    }

    @Test func addToAnEmptyNullOrAbsentEntriesList() throws {
        let block = """
              - id: AB-0001
                account: new@contoso.com
                category: third-party-tool
                tool: New Tool
                owner: ops@contoso.com
                justification: Reads mailboxes.
                approved_by: ciso@contoso.com
                approved_on: 2026-11-01
                ticket: CHG-77
                expires_on: 2027-11-01

            """
        let cases: [(String, String)] = [
            ("version: 1\nentries:\n# none yet\n", "version: 1\nentries:\n" + block + "# none yet\n"),
            ("version: 1\nentries: []   # none yet\n", "version: 1\nentries:   # none yet\n" + block),
            ("version: 1\nentries: ~\n", "version: 1\nentries:\n" + block),
            ("version: 1 # no entries key", "version: 1 # no entries key\nentries:\n" + block),
        ]
        for (before, after) in cases {
            let workspace = try EditorWorkspace(content: before)
            try workspace.editor.add(newEntry(), at: EditorWorkspace.now)
            #expect(workspace.text == after, "\(before)")
        }
    }

    @Test func dashesOnTheirOwnLineAndFlowMappingEntries() throws {
        func fields(_ account: String, indent: String) -> String {
            completeEntry("X", account: account).split(separator: "\n").dropFirst().map { indent + $0.dropFirst(4) + "\n" }.joined()
        }
        let first = "  -\n    id: A-1\n" + fields("a@x.com", indent: "    ")
        let second = "  - # the second one\n    id: A-2\n" + fields("b@x.com", indent: "    ")
        let third =
            "  - {id: A-3, account: c@x.com, category: third-party-tool, tool: t, owner: o, justification: j, "
            + "approved_by: c, approved_on: 2026-01-15, ticket: t, expires_on: 2027-01-15}\n"
        let yaml = "version: 1\nentries:\n" + first + second + third
        let workspace = try EditorWorkspace(content: yaml)
        #expect(AllowlistLoader.load(content: yaml, path: "x").warnings.isEmpty)

        try workspace.editor.renew(id: "A-1", reviewedOn: day("2026-11-20"), at: EditorWorkspace.now)
        let renewed = "version: 1\nentries:\n" + first + "    last_reviewed_on: 2026-11-20\n" + second + third
        #expect(workspace.text == renewed)
        #expect(throws: AllowlistEditError.self, "a flow-mapping entry is not rewritten") {
            try workspace.editor.renew(id: "A-3", reviewedOn: day("2026-11-20"), at: EditorWorkspace.now)
        }
        try workspace.editor.remove(id: "A-2", reason: "r", at: EditorWorkspace.now)
        #expect(workspace.text == renewed.replacingOccurrences(of: second, with: ""))
        try workspace.editor.remove(id: "A-3", reason: "r", at: EditorWorkspace.now)
        #expect(workspace.text == "version: 1\nentries:\n" + first + "    last_reviewed_on: 2026-11-20\n")
    }

    @Test func crlfFilesStayCRLF() throws {
        let yaml = "version: 1\r\nentries:\r\n" + completeEntry("AB-0001", account: "a@x.com").replacingOccurrences(of: "\n", with: "\r\n")
            + "# end\r\n"
        let workspace = try EditorWorkspace(content: yaml)
        try workspace.editor.add(newEntry(), at: EditorWorkspace.now)
        #expect(workspace.text.hasPrefix(yaml.replacingOccurrences(of: "# end\r\n", with: "")))
        #expect(workspace.text.hasSuffix("    expires_on: 2027-11-01\r\n# end\r\n"))
        #expect(!workspace.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CR LF")
        try workspace.editor.renew(id: "AB-0001", reviewedOn: day("2026-11-20"), at: EditorWorkspace.now)
        #expect(workspace.text.contains("    expires_on: 2027-01-15\r\n    last_reviewed_on: 2026-11-20\r\n  - id: AB-0002\r\n"))
        try workspace.editor.remove(id: "AB-0002", reason: "r", at: EditorWorkspace.now)
        #expect(workspace.text == yaml.replacingOccurrences(of: "# end", with: "    last_reviewed_on: 2026-11-20\r\n# end"))
    }

    @Test func fileWithoutFinalLineBreak() throws {
        let yaml = "version: 1\nentries:\n" + completeEntry("AB-0001", account: "a@x.com") + String(completeEntry("AB-0002", account: "b@x.com").dropLast())
        let workspace = try EditorWorkspace(content: yaml)
        try workspace.editor.remove(id: "AB-0002", reason: "r", at: EditorWorkspace.now)
        #expect(workspace.text == "version: 1\nentries:\n" + String(completeEntry("AB-0001", account: "a@x.com").dropLast()))
        try workspace.editor.add(newEntry(), at: EditorWorkspace.now)
        // AB-0002 was removed: its id stays retired, so the new entry is AB-0003.
        #expect(workspace.text.hasPrefix("version: 1\nentries:\n" + completeEntry("AB-0001", account: "a@x.com") + "  - id: AB-0003\n"))
    }

    @Test func flowStyleEntriesAreRefusedUntouched() throws {
        let yaml = "version: 1\nentries: [{id: A-1, account: a@x.com}]\n"
        let workspace = try EditorWorkspace(content: yaml)
        #expect(throws: AllowlistEditError.self) { try workspace.editor.add(newEntry(), at: EditorWorkspace.now) }
        #expect(throws: AllowlistEditError.self) { try workspace.editor.remove(id: "A-1", reason: "r", at: EditorWorkspace.now) }
        #expect(workspace.text == yaml)
        #expect(try workspace.editCount() == 0)
    }

    @Test func refusedEditsLeaveFileAndLogUntouched() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        let before = workspace.bytes
        let editor = workspace.editor
        let now = EditorWorkspace.now
        func refused(_ body: () throws -> Void) -> AllowlistEditError? {
            do {
                try body()
                return nil
            } catch let error as AllowlistEditError {
                return error
            } catch {
                Issue.record("unexpected error \(error)")
                return nil
            }
        }
        // A name already approved by another entry (aliases compare whole and case-insensitively).
        let shared = refused { try editor.add(newEntry(aliases: ["SVC-B"]), at: now) }
        guard case .invalidEntry(_, let problems, let elsewhere)? = shared else {
            Issue.record("expected invalidEntry, got \(String(describing: shared))")
            return
        }
        // Named by the option that set it, not by a line of the file that was never written.
        #expect(problems == [AllowlistEntryProblem(key: "aliases", message: "'SVC-B' is already listed in entry T-0002 (line 29); a name may appear in one entry only")])
        #expect(problems.first?.description.hasPrefix("--alias: ") == true)
        #expect(elsewhere.isEmpty)

        #expect(refused { try editor.add(newEntry(id: "t-0001"), at: now) } == .entryExists(id: "t-0001", path: workspace.path))
        var backwards = newEntry()
        backwards.expiresOn = day("2026-10-01")
        #expect(refused { try editor.add(backwards, at: now) }.map { if case .invalidEntry = $0 { true } else { false } } == true)
        var monitoring = newEntry()
        monitoring.category = .lawfulMonitoring
        let incomplete = refused { try editor.add(monitoring, at: now) }
        #expect(incomplete.map { if case .incompleteEntry(let id, let problems) = $0 { id == "T-0004" && problems.map(\.option) == ["--legal-basis"] } else { false } } == true)
        #expect(
            refused { try editor.renew(id: "T-0404", reviewedOn: day("2026-11-01"), at: now) }
                == .entryNotFound(id: "T-0404", path: workspace.path, closest: ["T-0001", "T-0002", "T-0003"]))
        #expect(refused { try editor.renew(id: "T-0001", reviewedOn: day("2026-11-30"), at: now) } != nil, "a review in the future")
        #expect(refused { try editor.renew(id: "T-0001", reviewedOn: day("2026-09-30"), at: now) } != nil, "older than the recorded review")
        #expect(refused { try editor.renew(id: "T-0001", reviewedOn: day("2026-11-20"), expiresOn: day("2026-11-20"), at: now) } != nil)
        #expect(refused { try editor.remove(id: "T-0001", reason: "  ", at: now) } == .invalidRequest("removing an entry needs a reason"))

        #expect(workspace.bytes == before)
        #expect(try workspace.editCount() == 0)
        let versions = try workspace.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM allowlist_version") }
        #expect(versions == 0)

        // Asked for explicitly, an incomplete entry goes in (and still warns).
        let added = try editor.add(monitoring, allowIncomplete: true, at: now)
        #expect(added.result.warnings.map(\.entryID) == ["T-0004"])
    }

    @Test func invalidOrUnparseableRegistersAreNotEdited() throws {
        let broken = "version: 1\nentries:\n  - id: A\n    account: \"open\n"
        let workspace = try EditorWorkspace(content: broken)
        #expect(throws: AllowlistEditError.self) { try workspace.editor.add(newEntry(), at: EditorWorkspace.now) }
        #expect(workspace.text == broken)

        let invalid = "version: 1\nentries:\n" + completeEntry("AB-0001", account: "a@x.com") + "    colour: blue\n"
        let other = try EditorWorkspace(content: invalid)
        do {
            try other.editor.add(newEntry(), at: EditorWorkspace.now)
            Issue.record("an edit must not write a register that stays invalid")
        } catch AllowlistEditError.wouldBeInvalid(_, let issues) {
            #expect(issues.map(\.message) == ["unknown key 'colour' (known keys: id, account, aliases, category, tool, legal_basis, owner, justification, approved_by, approved_on, ticket, last_reviewed_on, expires_on)"])
        }
        #expect(other.text == invalid)
        // Removing the broken entry repairs the register, so that edit is allowed.
        try other.editor.remove(id: "AB-0001", reason: "broken", at: EditorWorkspace.now)
        #expect(other.text == "version: 1\nentries:\n")
    }

    @Test func hostileValuesRoundTripWithoutInjectingKeys() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        let hostile = AllowlistEntry(
            id: "T-9\nauthorized_admins: [attacker]", account: "evil@x.com\nauthorized_admins: [attacker@evil.com]",
            aliases: ["- [x]", "&a", "*a", "x # y", "'q' \"dq\" \\", "tab\there", "ls\u{2028}nel\u{85}ctl\u{1}bom\u{FEFF}"],
            category: .thirdPartyTool, tool: "Tool: {a: b}, [c]", owner: "!!python/object:os.system",
            justification: "line1\n  tool: injected\n# comment", approvedBy: "%YAML 1.2", approvedOn: day("2026-11-01"),
            ticket: "true", expiresOn: day("2027-11-01"))
        let outcome = try workspace.editor.add(hostile, at: EditorWorkspace.now)
        let reloaded = AllowlistLoader.load(content: workspace.text, path: workspace.path)
        #expect(reloaded.isValid && reloaded.warnings.isEmpty)
        let allowlist = try #require(reloaded.allowlist)
        #expect(allowlist.authorizedAdmins == ["exo-admin@contoso.com", "second admin@contoso.com"])
        #expect(allowlist.entries.count == 4)
        let written = try #require(allowlist.entries.last)
        var expected = hostile
        expected.position = written.position
        #expect(written == expected)
        #expect(outcome.edit.entryID == hostile.id)
        // Everything before the new block is the original file.
        #expect(workspace.text.hasPrefix(Self.original.replacingOccurrences(of: "# end of the register\n", with: "")))
    }

    @Test func writesAtomicallyByRenameKeepingPermissions() throws {
        let workspace = try EditorWorkspace(fixture: Self.fixture)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: workspace.path)
        let inodeBefore = try FileManager.default.attributesOfItem(atPath: workspace.path)[.systemFileNumber] as? Int
        let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: workspace.path))
        defer { try? reader.close() }
        try workspace.editor.remove(id: "T-0002", reason: "r", at: EditorWorkspace.now)
        // A reader that opened the old register still reads all of it: the file was replaced, not rewritten in place.
        #expect(try reader.readToEnd() == Data(Self.original.utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path)
        #expect(attributes[.systemFileNumber] as? Int != inodeBefore)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func atomicWriterFailsCleanly() throws {
        let folder = try TestPaths.temporaryDirectory()
        let target = folder.appendingPathComponent("missing-folder/allowlist.yaml").path
        #expect(throws: AtomicFileWriter.Failure.self) { try AtomicFileWriter.write(Data("x".utf8), to: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
        let symlink = folder.appendingPathComponent("link.yaml").path
        let real = folder.appendingPathComponent("real.yaml").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: symlink, withDestinationPath: real)
        try AtomicFileWriter.write(Data("new".utf8), to: symlink)
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new", "a symlinked register is written through its link")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: symlink)) == real)
    }

    @Test func nextIDFollowsTheCommonestNumbering() {
        #expect(AllowlistIDs.next(after: []) == "AB-0001")
        #expect(AllowlistIDs.next(after: ["AB-0001", "AB-0009", "X-1"]) == "AB-0010")
        #expect(AllowlistIDs.next(after: ["T-9"]) == "T-10")
        #expect(AllowlistIDs.next(after: ["legacy"]) == "AB-0001")
    }
}
