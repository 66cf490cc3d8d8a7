import Foundation
import Testing

/// `bypass-auditor allowlist …` driven as an admin would, on temp copies of the bundled register.
@Suite struct AllowlistCommandTests {
    static var bundled: String {
        get throws { try String(contentsOf: PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml"), encoding: .utf8) }
    }

    /// A temp folder with `Policies/allowlist.yaml` copied in, so the default `--allowlist` path works.
    static func workspace() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        _ = try directory.write("Policies/allowlist.yaml", try bundled)
        return directory
    }

    static func read(_ directory: TemporaryDirectory, _ name: String = "Policies/allowlist.yaml") throws -> String {
        try String(contentsOfFile: directory.path(name), encoding: .utf8)
    }

    @Test func validateBundledRegisterPassesWithItsOneWarning() throws {
        let directory = try Self.workspace()
        let result = try CLI.run(["allowlist", "validate"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        // Paths in use are printed absolute, so the user sees which register was read.
        let root = directory.url.standardizedFileURL.path
        #expect(
            result.stdout == """
                \(root)/Policies/allowlist.yaml:63:18: warning: entry AB-0003: legal_basis is empty (required for lawful-monitoring: the authority — case, warrant or policy reference)
                \(root)/Policies/allowlist.yaml: valid, 5 entries, 0 error(s), 1 warning(s)

                """)
        let json = try CLI.run(["allowlist", "validate", "--json"], in: directory.url).json()
        #expect(json["valid"] as? Bool == true)
        #expect(json["warning_count"] as? Int == 1 && json["error_count"] as? Int == 0)
    }

    @Test func validateInvalidRegisterExitsOneWithEveryLocatedError() throws {
        let directory = try TemporaryDirectory()
        let broken = try Self.bundled
            .replacingOccurrences(of: "    ticket: CHG-1234\n", with: "    tikcet: CHG-1234\n")
            .replacingOccurrences(of: "expires_on: 2026-11-15", with: "expires_on: 2026-13-15")
            .replacingOccurrences(of: "aliases: [svc-oldtool,", with: "aliases: [SVC-Backup,")
        let path = try directory.write("broken.yaml", broken)
        let result = try CLI.run(["allowlist", "validate", "--allowlist", path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(path):42:5: error: unknown key 'tikcet'; did you mean 'ticket'?"))
        #expect(result.stdout.contains("\(path):83:17: error: expires_on '2026-13-15' is not a real date in YYYY-MM-DD form"))
        #expect(result.stdout.contains("\(path):87:15: error: 'SVC-Backup' is already listed in entry AB-0001 (line 34)"))
        #expect(result.stdout.hasSuffix("\(path): INVALID, 3 error(s), 2 warning(s)\n"))

        let json = try CLI.run(["allowlist", "validate", "--allowlist", path, "--json"]).json()
        #expect(json["valid"] as? Bool == false)
        let issues = try #require(json["issues"] as? [[String: Any]])
        let first = try #require(issues.first { $0["severity"] as? String == "error" })
        let position = try #require(first["position"] as? [String: Any])
        #expect(position["line"] as? Int == 42 && position["column"] as? Int == 5)

        // Listing refuses an invalid register and says why.
        let list = try CLI.run(["allowlist", "list", "--allowlist", path])
        #expect(list.status == 1)
        #expect(list.stderr.contains("invalid register"))
    }

    @Test func missingRegisterIsNamed() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.run(["allowlist", "validate", "--allowlist", "nowhere.yaml"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: allowlist file not found: ") && result.stderr.contains("nowhere.yaml"))
    }

    @Test func listAndShowTellTheDemoStory() throws {
        let directory = try Self.workspace()
        let list = try CLI.run(["allowlist", "list", "--as-of", "2026-10-31"], in: directory.url)
        #expect(list.status == 0)
        #expect(list.stdout.contains("AB-0002  svc-archive@contoso.com     third-party-tool   2025-10-01  2026-04-01  2026-09-30  expired, review-overdue"))
        #expect(list.stdout.contains("AB-0004  svc-ediscovery@contoso.com  third-party-tool   2026-02-01  2026-09-15  2026-11-15  expiring"))

        let json = try CLI.run(["allowlist", "list", "--as-of", "2026-10-31", "--json"], in: directory.url).json()
        #expect(json["as_of"] as? String == "2026-10-31")
        let entries = try #require(json["entries"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == ["AB-0001", "AB-0002", "AB-0003", "AB-0004", "AB-0005"])
        let monitor = try #require(entries.first { $0["id"] as? String == "AB-0003" })
        #expect(monitor["legal_basis"] as? String == "")
        let standing = try #require(monitor["standing"] as? [String: Any])
        #expect(standing["review_overdue"] as? Bool == true)
        #expect(standing["missing_fields"] as? [String] == ["legal_basis"])

        let show = try CLI.run(["allowlist", "show", "ab-0001", "--as-of", "2026-10-31", "--json"], in: directory.url)
        #expect(show.status == 0, "\(show.stderr)")
        let entry = try #require(try show.json()["entry"] as? [String: Any])
        #expect(entry["aliases"] as? [String] == ["svc-backup", "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"])
        let missing = try CLI.run(["allowlist", "show", "AB-0404"], in: directory.url)
        #expect(missing.status == 1 && missing.stderr.contains("no entry with id 'AB-0404'"))
    }

    @Test func addRenewRemoveEditInPlaceAndLogWhoAndWhy() throws {
        let directory = try Self.workspace()
        let original = try Self.bundled
        let add = try CLI.run(
            [
                "allowlist", "add", "--account", "svc-journal@contoso.com", "--alias", "svc-journal", "--category",
                "third-party-tool", "--tool", "Journal: archiver #2", "--owner", "messaging-team@contoso.com",
                "--justification", "Journals mail.", "--approved-by", "ciso@contoso.com", "--approved-on", "2026-11-20",
                "--ticket", "CHG-2001", "--expires-on", "2027-11-20", "--reason", "new archiver", "--by", "alice",
            ], in: directory.url)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("Policies/allowlist.yaml: added AB-0006 (svc-journal@contoso.com, third-party-tool, expires 2027-11-20) — new archiver"))
        let afterAdd = try Self.read(directory)
        #expect(afterAdd.hasPrefix(original))
        #expect(
            String(afterAdd.dropFirst(original.count)) == """

                  - id: AB-0006
                    account: svc-journal@contoso.com
                    aliases: [svc-journal]
                    category: third-party-tool
                    tool: "Journal: archiver #2"
                    owner: messaging-team@contoso.com
                    justification: Journals mail.
                    approved_by: ciso@contoso.com
                    approved_on: 2026-11-20
                    ticket: CHG-2001
                    expires_on: 2027-11-20

                """)

        let renew = try CLI.run(
            ["allowlist", "renew", "AB-0004", "--reviewed-on", "2026-11-20", "--expires-on", "2027-11-15", "--by", "bob", "--json"],
            in: directory.url)
        #expect(renew.status == 0, "\(renew.stderr)")
        let renewJSON = try renew.json()
        let edit = try #require(renewJSON["edit"] as? [String: Any])
        #expect(edit["action"] as? String == "renew" && edit["by"] as? String == "bob" && edit["entry_id"] as? String == "AB-0004")
        let afterRenew = try Self.read(directory)
        #expect(
            afterRenew == afterAdd.replacingOccurrences(
                of: "    last_reviewed_on: 2026-09-15\n    expires_on: 2026-11-15\n",
                with: "    last_reviewed_on: 2026-11-20\n    expires_on: 2027-11-15\n"))

        let noReason = try CLI.run(["allowlist", "remove", "AB-0005"], in: directory.url)
        #expect(noReason.status == 64, "a removal without --reason is a usage error")
        let remove = try CLI.run(["allowlist", "remove", "AB-0005", "--reason", "tool retired", "--yes"], in: directory.url, environment: ["USER": "carol"])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(remove.stdout.contains("logged as edit #3 by carol"))
        let afterRemove = try Self.read(directory)
        #expect(!afterRemove.contains("svc-oldtool"))
        #expect(afterRemove.contains("# Schema (version 1; the keys are fixed, unknown keys are errors):"))
        #expect(try CLI.run(["allowlist", "validate"], in: directory.url).status == 0)

        let show = try CLI.run(["allowlist", "show", "AB-0004", "--json"], in: directory.url).json()
        let edits = try #require(show["edits"] as? [[String: Any]])
        #expect(edits.map { $0["by"] as? String } == ["bob"])
        let changes = try #require(show["changes"] as? [[String: Any]])
        #expect(changes.first?["fields"] as? [String] == ["last_reviewed_on", "expires_on"])
        #expect(FileManager.default.fileExists(atPath: directory.path("bypass-auditor.sqlite")), "default --db is ./bypass-auditor.sqlite")
    }

    @Test func refusedEditsExitOneAndLeaveTheFileByteForByte() throws {
        let directory = try Self.workspace()
        // renew and remove need the database to exist (refused adds no longer create it).
        let log = try directory.write("empty.ndjson", "")
        #expect(try CLI.run(["ingest", log], in: directory.url).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.path("Policies/allowlist.yaml")))
        let attempts: [([String], String)] = [
            (["allowlist", "add", "--account", "svc-backup", "--category", "third-party-tool"], "already listed in entry AB-0001"),
            (
                [
                    "allowlist", "add", "--account", "monitor2@contoso.com", "--category", "lawful-monitoring", "--owner", "o",
                    "--justification", "j", "--approved-by", "c", "--approved-on", "2026-11-01", "--ticket", "t",
                    "--expires-on", "2027-11-01",
                ], "--legal-basis"
            ),
            (["allowlist", "renew", "AB-0001", "--reviewed-on", "2999-01-01"], "in the future"),
            (["allowlist", "renew", "AB-0404", "--reviewed-on", "2026-11-01"], "no entry with id 'AB-0404'"),
            (["allowlist", "remove", "AB-0404", "--reason", "x", "--yes"], "no entry with id 'AB-0404'"),
        ]
        for (arguments, message) in attempts {
            let result = try CLI.run(arguments, in: directory.url)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let badDate = try CLI.run(["allowlist", "renew", "AB-0001", "--reviewed-on", "2026-02-30"], in: directory.url)
        #expect(badDate.status == 64 && badDate.stderr.contains("2026-02-30") && badDate.stderr.contains("--reviewed-on"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("Policies/allowlist.yaml"))) == before)
    }

    @Test func hostileAccountNameCannotInjectKeys() throws {
        let directory = try Self.workspace()
        let account = "evil@x.com\nauthorized_admins: [attacker@evil.com]\n  - id: AB-9999"
        let add = try CLI.run(
            [
                "allowlist", "add", "--account", account, "--category", "third-party-tool", "--tool", "t", "--owner", "o",
                "--justification", "j", "--approved-by", "c", "--approved-on", "2026-11-01", "--ticket", "t",
                "--expires-on", "2027-11-01", "--json",
            ], in: directory.url)
        #expect(add.status == 0, "\(add.stderr)")
        let list = try CLI.run(["allowlist", "list", "--json"], in: directory.url).json()
        #expect(list["authorized_admins"] as? [String] == ["exo-admin@contoso.com"])
        let entries = try #require(list["entries"] as? [[String: Any]])
        #expect(entries.count == 6)
        #expect(entries.last?["account"] as? String == account)
        #expect(!entries.contains { $0["id"] as? String == "AB-9999" })
        // Shown on a terminal, the name stays on one line.
        let table = try CLI.run(["allowlist", "list"], in: directory.url)
        #expect(table.stdout.contains("evil@x.com\\u{A}authorized_admins: [attacker@evil.com]\\u{A}  - id: AB-9999"))
    }
}
