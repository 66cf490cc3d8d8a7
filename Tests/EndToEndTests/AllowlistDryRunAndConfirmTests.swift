import Foundation
import Testing

/// `--dry-run` shows an edit without making it; `remove` asks before it removes; the help says how to undo.
@Suite("Register edits: dry run, confirmation, undo")
struct AllowlistDryRunAndConfirmTests {
    static func registerBytes(_ directory: TemporaryDirectory) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory.path("Policies/allowlist.yaml")))
    }

    @Test("--dry-run on add, renew and remove prints the diff and changes nothing (no file change, no database)")
    func dryRunChangesNothing() throws {
        let directory = try AllowlistCommandTests.workspace()
        let before = try Self.registerBytes(directory)
        let path = directory.url.standardizedFileURL.path + "/Policies/allowlist.yaml"

        let add = try CLI.run(ProjectConfigurationTests.addArguments + ["--dry-run"], in: directory.url)
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.hasPrefix("--- \(path)\n+++ \(path) (after add AB-0006)\n@@ -"), "\(add.stdout)")
        #expect(add.stdout.contains("\n+  - id: AB-0006\n+    account: svc-journal@contoso.com\n"))
        #expect(add.stdout.hasSuffix(
            "\ndry run, not applied: added AB-0006 (svc-journal@contoso.com, third-party-tool, expires 2027-11-20); "
                + "nothing written, nothing logged\n"), "\(add.stdout)")

        let renew = try CLI.run(
            ["allowlist", "renew", "AB-0004", "--reviewed-on", "2026-11-20", "--expires-on", "2027-11-15", "--dry-run"],
            in: directory.url)
        #expect(renew.status == 0, "\(renew.stderr)")
        #expect(renew.stdout.contains("\n-    last_reviewed_on: 2026-09-15\n-    expires_on: 2026-11-15\n+    last_reviewed_on: 2026-11-20\n+    expires_on: 2027-11-15\n"), "\(renew.stdout)")

        let remove = try CLI.run(["allowlist", "remove", "AB-0005", "--reason", "retired", "--dry-run"], in: directory.url)
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(remove.stdout.contains("\n-  - id: AB-0005\n"), "\(remove.stdout)")
        let json = try CLI.run(["allowlist", "remove", "AB-0005", "--reason", "retired", "--dry-run", "--json"], in: directory.url).json()
        #expect(json["dry_run"] as? Bool == true && json["entry_id"] as? String == "AB-0005")
        #expect((json["entry"] as? [String: Any])?["account"] as? String == "svc-oldtool@contoso.com")

        #expect(try Self.registerBytes(directory) == before)
        #expect(!FileManager.default.fileExists(atPath: directory.path("bypass-auditor.sqlite")), "no database was created")
    }

    @Test("remove without a terminal and without --yes is refused and says to pass --yes")
    func removeNeedsYesWithoutATerminal() throws {
        let directory = try AllowlistCommandTests.workspace()
        #expect(try CLI.run(ProjectConfigurationTests.addArguments, in: directory.url).status == 0)
        let before = try Self.registerBytes(directory)
        let result = try CLI.run(["allowlist", "remove", "AB-0005", "--reason", "retired"], in: directory.url)
        #expect(result.status == 64)
        #expect(result.stderr.contains("pass --yes"), "\(result.stderr)")
        #expect(try Self.registerBytes(directory) == before)
    }

    @Test("remove on a terminal shows the entry and asks: 'n' keeps it, 'y' removes it")
    func removeAsksOnATerminal() throws {
        let directory = try AllowlistCommandTests.workspace()
        let db = directory.path("audit.sqlite")
        let add = try CLI.run(ProjectConfigurationTests.addArguments + ["--db", db], in: directory.url)
        #expect(add.status == 0, "\(add.stderr)")
        let before = try Self.registerBytes(directory)

        let declined = try CLI.runOnTerminal(
            ["allowlist", "remove", "AB-0005", "--reason", "retired", "--db", db], in: directory.url, input: "n\n")
        #expect(declined.status == 1)
        #expect(declined.stderr.contains("-    account: svc-oldtool@contoso.com"), "\(declined.stderr)")
        #expect(declined.stderr.contains("Remove AB-0005 (svc-oldtool@contoso.com) from "))
        #expect(declined.stderr.contains("not removed"))
        #expect(try Self.registerBytes(directory) == before)

        let confirmed = try CLI.runOnTerminal(
            ["allowlist", "remove", "AB-0005", "--reason", "retired", "--db", db], in: directory.url, input: "y\n")
        #expect(confirmed.status == 0, "\(confirmed.stderr)|\(confirmed.stdout)")
        #expect(confirmed.stdout.contains("removed AB-0005"))
        #expect(!(try AllowlistCommandTests.read(directory)).contains("svc-oldtool"))
    }

    @Test("The help of add, renew and remove says how to undo the edit with git")
    func helpSaysHowToUndo() throws {
        for command in ["add", "renew", "remove"] {
            let help = try CLI.run(["allowlist", command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("UNDO:") && help.stdout.contains("git restore") && help.stdout.contains("git revert"), "\(command)")
            #expect(help.stdout.contains("--dry-run"), "\(command)")
        }
    }
}
