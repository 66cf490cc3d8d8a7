import Foundation
import Testing

/// The register's header promises that ids are never reused: a removed entry's id stays retired.
@Suite("allowlist ids are never reused")
struct AllowlistIDReuseTests {
    @Test("After remove AB-0005, add assigns AB-0006 and --id AB-0005 is refused")
    func removedIDStaysRetired() throws {
        let directory = try AllowlistCommandTests.workspace()
        let db = directory.path("audit.sqlite")
        let remove = try CLI.run(
            ["allowlist", "remove", "AB-0005", "--reason", "tool retired", "--by", "alice", "--yes", "--db", db], in: directory.url)
        // remove needs an existing database (it only logs); add creates one.
        #expect(remove.status == 1 && remove.stderr.contains("no database at"))
        let first = try CLI.run(ProjectConfigurationTests.addArguments + ["--db", db], in: directory.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("added AB-0006"))
        let removed = try CLI.run(
            ["allowlist", "remove", "AB-0006", "--reason", "tool retired", "--by", "alice", "--yes", "--db", db], in: directory.url)
        #expect(removed.status == 0, "\(removed.stderr)")

        var arguments = ProjectConfigurationTests.addArguments + ["--db", db]
        arguments[arguments.firstIndex(of: "svc-journal@contoso.com")!] = "svc-other@contoso.com"
        let next = try CLI.run(arguments, in: directory.url)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("added AB-0007"), "\(next.stdout)")

        arguments[arguments.firstIndex(of: "svc-other@contoso.com")!] = "svc-third@contoso.com"
        let reused = try CLI.run(arguments + ["--id", "AB-0006"], in: directory.url)
        #expect(reused.status == 1)
        #expect(reused.stderr.contains("id 'AB-0006' was used by an entry before"), "\(reused.stderr)")
    }
}
