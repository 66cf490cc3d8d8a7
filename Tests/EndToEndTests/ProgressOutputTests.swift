import Foundation
import Testing

/// Issue 15: long commands show progress on stderr when it is a terminal; `--quiet`, a pipe, `TERM=dumb` and
/// `NO_COLOR` change what reaches it.
@Suite("Progress on a terminal")
struct ProgressOutputTests {
    /// A database with 3,000 stored events waiting for detection (pages of 1,000: three progress updates).
    static func database(in directory: TemporaryDirectory) throws -> String {
        let lines = (0..<3_000).map { index in
            AuditRecordLines.bypass(
                id: "b-\(index)", identity: "svc-\(index % 40)", enabled: index % 2 == 0 ? "True" : "False",
                time: String(format: "2026-10-%02dT10:00:00", 1 + index % 28))
        }
        let logs = try directory.write("logs.ndjson", lines.joined(separator: "\n") + "\n")
        let db = directory.path("audit.sqlite")
        #expect(try CLI.run(["ingest", "--db", db, logs]).status == 0)
        return db
    }

    @Test("detect shows how many stored events it has evaluated, erasing the line with ESC[K")
    func detectShowsProgress() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let run = try CLI.runWithStderrOnTerminal(["detect", "--db", db, "--now", "2026-11-01"], environment: ["TERM": "xterm", "NO_COLOR": ""])
        #expect(run.status == 0, "\(run.terminal)")
        #expect(run.terminal.contains("detect: 3000 of 3000 stored events evaluated (100%)"), "\(run.terminal)")
        #expect(run.terminal.contains("\u{1B}[K"))
    }

    @Test("TERM=dumb and NO_COLOR: progress without control codes; --quiet: no progress and no notes")
    func plainTerminals() throws {
        for environment in [["TERM": "dumb"], ["TERM": "xterm", "NO_COLOR": "1"]] {
            let directory = try TemporaryDirectory()
            let db = try Self.database(in: directory)
            let run = try CLI.runWithStderrOnTerminal(["detect", "--db", db, "--now", "2026-11-01"], environment: environment)
            #expect(run.status == 0)
            #expect(run.terminal.contains("stored events evaluated"), "\(environment)")
            #expect(!run.terminal.contains("\u{1B}"), "\(environment): \(run.terminal.debugDescription)")
        }
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let quiet = try CLI.runWithStderrOnTerminal(["detect", "-q", "--db", db, "--now", "2026-11-01"], environment: ["TERM": "xterm"])
        #expect(quiet.status == 0)
        #expect(!quiet.terminal.contains("evaluated") && !quiet.terminal.contains("db: "), "\(quiet.terminal)")
        #expect(!quiet.terminal.contains("Rules: "), "the rule-set note is a note: \(quiet.terminal)")
    }

    @Test("report names each stage on a terminal and clears the line before its result")
    func reportShowsItsStages() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let allowlist = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path
        let run = try CLI.runWithStderrOnTerminal(
            ["report", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--now", "2026-11-02", "--out",
             directory.path("Reports"), "--format", "json"],
            environment: ["TERM": "xterm", "NO_COLOR": ""])
        #expect(run.status == 0, "\(run.terminal)")
        for stage in ["verifying the history chain", "reading the period's facts", "judging 40 accounts", "writing 2026-10"] {
            #expect(run.terminal.contains("report: \(stage)"), "\(stage): \(run.terminal)")
        }
    }
}
