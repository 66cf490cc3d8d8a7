import Foundation
import Testing

/// Errors say what to do: the ids that were probably meant, the options to pass, a database that is not one.
@Suite("Errors say what to do")
struct ActionableErrorTests {
    @Test("An unknown entry id lists the closest ids, in renew, remove and show")
    func unknownIDListsTheClosest() throws {
        let directory = try AllowlistCommandTests.workspace()
        #expect(try CLI.run(ProjectConfigurationTests.addArguments, in: directory.url).status == 0)
        for arguments in [
            ["allowlist", "renew", "AB-004", "--reviewed-on", "2026-11-01"],
            ["allowlist", "remove", "AB-004", "--reason", "gone", "--yes"],
            ["allowlist", "show", "AB-004"],
        ] {
            let result = try CLI.run(arguments, in: directory.url)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("no entry with id 'AB-004'; the closest ids are AB-0004, "), "\(arguments): \(result.stderr)")
        }
    }

    @Test("A refused add names the options to pass, with no line numbers of the file it never wrote, and creates no database")
    func refusedAddNamesOptions() throws {
        let directory = try AllowlistCommandTests.workspace()
        let incomplete = try CLI.run(
            [
                "allowlist", "add", "--account", "monitor2@contoso.com", "--category", "lawful-monitoring", "--owner", "o",
                "--justification", "j", "--approved-by", "c", "--approved-on", "2026-11-01", "--ticket", "t",
            ], in: directory.url)
        #expect(incomplete.status == 1)
        #expect(incomplete.stderr.contains("\n  --legal-basis  required for lawful-monitoring"), "\(incomplete.stderr)")
        #expect(incomplete.stderr.contains("\n  --expires-on   required for every written exception"), "\(incomplete.stderr)")
        #expect(incomplete.stderr.contains("--allow-incomplete"))
        #expect(!incomplete.stderr.contains("legal_basis") && !incomplete.stderr.contains("expires_on"), "no register keys")
        #expect(incomplete.stderr.firstMatch(of: /allowlist\.yaml:\d/) == nil, "no line numbers: \(incomplete.stderr)")

        let duplicate = try CLI.run(
            [
                "allowlist", "add", "--account", "svc-backup", "--category", "third-party-tool", "--tool", "t", "--owner", "o",
                "--justification", "j", "--approved-by", "c", "--approved-on", "2026-11-01", "--ticket", "t",
                "--expires-on", "2027-11-01",
            ], in: directory.url)
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("\n  --account: 'svc-backup' is already listed in entry AB-0001 (line 34)"), "\(duplicate.stderr)")
        #expect(duplicate.stderr.firstMatch(of: /allowlist\.yaml:\d/) == nil, "\(duplicate.stderr)")

        let backwards = try CLI.run(
            [
                "allowlist", "add", "--account", "new@contoso.com", "--category", "third-party-tool", "--tool", "t", "--owner",
                "o", "--justification", "j", "--approved-by", "c", "--approved-on", "2026-11-01", "--ticket", "t",
                "--expires-on", "2026-10-01",
            ], in: directory.url)
        #expect(backwards.stderr.contains("--expires-on 2026-10-01 is not after --approved-on 2026-11-01"), "\(backwards.stderr)")

        #expect(!FileManager.default.fileExists(atPath: directory.path("bypass-auditor.sqlite")), "a refused edit leaves no database")
    }

    @Test("A --db that is not a database is refused in words, not as an SQLite error number")
    func notADatabaseInWords() throws {
        let directory = try AllowlistCommandTests.workspace()
        // An SQLite header followed by garbage: it passes the header check, and SQLite itself refuses it.
        var bytes = Data("SQLite format 3\u{0}".utf8)
        bytes.append(Data(repeating: 0x5A, count: 4096))
        let db = directory.path("damaged.sqlite")
        try bytes.write(to: URL(fileURLWithPath: db))
        for arguments in [
            ["inventory", "--db", db], ["verify", "--db", db], ["allowlist", "remove", "AB-0005", "--reason", "x", "--yes", "--db", db],
            ["allowlist", "show", "AB-0005", "--db", db],
        ] {
            let result = try CLI.run(arguments, in: directory.url)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("is not a database SQLite can read"), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("SQLite error"), "\(arguments): \(result.stderr)")
        }
    }
}
