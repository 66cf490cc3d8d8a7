import Foundation
import Testing

/// Commands that read the database refuse a path that does not exist: an empty database would report a clean month.
@Suite("A --db that does not exist")
struct MissingDatabaseTests {
    static let register = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path

    @Test("drift exits 1, says so, and creates nothing")
    func drift() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("typo.sqlite")
        let result = try CLI.run(["drift", "--db", db, "--allowlist", Self.register, "--as-of", "2026-11-20"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: no database at \(db): nothing was created"))
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test("report exits 1, says so, and creates neither the database nor a report folder")
    func report() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("typo.sqlite")
        let result = try CLI.run([
            "report", "--db", db, "--allowlist", Self.register, "--period", "2026-10", "--out", directory.path("Reports"),
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no database at \(db)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test("Every reading command refuses it; ingest creates it")
    func readingCommands() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("typo.sqlite")
        for command in [["inventory"], ["inventory", "show", "x"], ["verify"], ["alerts"], ["snapshot", "list"], ["detect"]] {
            let result = try CLI.run(command + ["--db", db])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("no database at"), "\(command): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "\(command)")
        }
        let log = try directory.write("empty.ndjson", "")
        let ingest = try CLI.run(["ingest", "--db", db, log])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(FileManager.default.fileExists(atPath: db))
    }

    @Test("A file that is not a database is refused in words, not as an SQLite error number")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.run(["inventory", "--db", Self.register])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a bypass-auditor database"))
        #expect(!result.stderr.contains("SQLite error"))
        _ = directory
    }

    @Test("Bad option values are reported by the parser, naming the command and the option")
    func typedOptions() throws {
        for (arguments, option) in [
            (["drift", "--as-of", "yesterday"], "--as-of"), (["report", "--period", "2026-13"], "--period"),
            (["report", "--format", "pdf"], "--format"), (["allowlist", "renew", "AB-1", "--reviewed-on", "2026-02-30"], "--reviewed-on"),
            (["drift", "--fail-on", "severe"], "--fail-on"), (["inventory", "--as-of", "soon"], "--as-of"),
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(option), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("bypass-auditor \(arguments[0])"), "\(arguments): \(result.stderr)")
        }
    }
}
