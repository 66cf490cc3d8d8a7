import Foundation
import Testing

/// Issue 15: one name per meaning. `--format` is the output formats of `report`; the input format of `ingest` and
/// `watch` is `--input-format` (the old `--format` stays as a hidden alias so scripts keep working).
@Suite("One name per meaning")
struct OptionNamesTests {
    @Test("ingest reads --input-format; --format still works but is not offered in help")
    func inputFormat() throws {
        let directory = try TemporaryDirectory()
        let logs = try directory.write("logs.ndjson", AuditRecordLines.bypass(id: "b-1", identity: "j.doe") + "\n")
        let named = try CLI.run(["ingest", "--db", directory.path("a.sqlite"), "--input-format", "o365-api", "--json", logs])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try named.json()["events_stored"] as? Int == 1)
        let alias = try CLI.run(["ingest", "--db", directory.path("b.sqlite"), "--format", "o365-api", "--json", logs])
        #expect(alias.status == 0, "\(alias.stderr)")
        #expect(try alias.json()["events_stored"] as? Int == 1)
        for command in ["ingest", "watch"] {
            let help = try CLI.run([command, "--help"])
            #expect(help.stdout.contains("--input-format"), "\(command)")
            #expect(!help.stdout.contains("--format <"), "\(command): the old name is hidden")
        }
        let wrong = try CLI.run(["ingest", "--db", directory.path("c.sqlite"), "--input-format", "xml", logs])
        #expect(wrong.status == 64 && wrong.stderr.contains("--input-format"), "\(wrong.stderr)")
    }
}
