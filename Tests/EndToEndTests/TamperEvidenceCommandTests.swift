import BypassAuditor
import Foundation
import GRDB
import Testing
import TestSupport

/// Issue 12: every row a finding or control rests on is in the hash chain. Deleting an audit-impairment event and its
/// alert and padding coverage removed the critical impairment and the coverage-gap findings while `verify` said OK.
@Suite("Tampering with impairments, alerts, triage and coverage is found")
struct TamperEvidenceCommandTests {
    static let allowlist = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path

    /// A bypass enable and an audit-ingestion disable on 2026-10-21, ingested and detected, the first alert triaged.
    static func database(in directory: TemporaryDirectory) throws -> String {
        let logs = try directory.write(
            "logs.ndjson",
            [
                AuditRecordLines.bypass(id: "b-1", identity: "j.doe"),
                AuditRecordLines.auditIngestionDisabled(id: "imp-1"),
            ].joined(separator: "\n") + "\n")
        let db = directory.path("audit.sqlite")
        #expect(try CLI.run(["ingest", "--db", db, logs]).status == 0)
        #expect(try CLI.run(["detect", "--db", db, "--now", "2026-10-22"]).status == 0)
        let ack = try CLI.run(["alerts", "ack", "1", "--db", db, "--by", "analyst@contoso.com", "--note", "seen"])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(try CLI.run(["verify", "--db", db]).status == 0)
        return db
    }

    static func tamper(_ db: String, _ sql: String) throws {
        try OutsideEdit.write(db) { db in try db.execute(sql: sql) }
    }

    /// `verify --json` after tampering: its exit status and the (table, kind) of each problem.
    static func problems(_ db: String) throws -> (status: Int32, found: Set<String>) {
        let result = try CLI.run(["verify", "--db", db, "--json"])
        let problems = try result.json()["problems"] as? [[String: Any]] ?? []
        return (result.status, Set(problems.map { "\($0["table"] ?? "?") \($0["kind"] ?? "?")" }))
    }

    static func findingKinds(_ db: String, _ extra: [String] = []) throws -> (status: Int32, kinds: [String]) {
        let result = try CLI.run(
            ["drift", "--db", db, "--allowlist", allowlist, "--period", "2026-10", "--as-of", "2026-11-01", "--json"]
                + extra)
        let findings = (try? result.json()["findings"] as? [[String: Any]]) ?? []
        return (result.status, findings.compactMap { $0["kind"] as? String })
    }

    @Test("the issue's attack: impairment event and alert deleted, coverage padded; verify and drift refuse")
    func impairmentAndCoverage() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let before = try Self.findingKinds(db)
        #expect(before.status == 3, "critical findings: exit 3")
        #expect(before.kinds.contains("audit-impairment") && before.kinds.contains("coverage-gap"))

        try Self.tamper(
            db,
            """
            DELETE FROM alert_triage WHERE alert_id IN (SELECT id FROM alert WHERE event_id = 'imp-1');
            DELETE FROM alert WHERE event_id = 'imp-1';
            DELETE FROM event WHERE event_id = 'imp-1';
            WITH RECURSIVE day(d) AS (SELECT '2026-10-01' UNION ALL SELECT date(d, '+1 day') FROM day WHERE d < '2026-10-31')
            INSERT OR IGNORE INTO coverage (input_file_id, day, records) SELECT 1, d, 1000 FROM day;
            """)
        // Without the chain the padded database reads clean of both findings: that is what an attacker gains.
        let hidden = try Self.findingKinds(db, ["--allow-unverified"])
        #expect(!hidden.kinds.contains("audit-impairment") && !hidden.kinds.contains("coverage-gap"))

        let (status, found) = try Self.problems(db)
        #expect(status == 4)
        #expect(found.contains("event row-deleted"), "\(found)")
        #expect(found.contains("alert row-deleted"), "\(found)")
        #expect(found.contains("coverage row-inserted"), "\(found)")
        #expect(try Self.findingKinds(db).status == 4, "drift refuses unverified evidence")
    }

    @Test("an edited coverage count, an edited alert and edited or deleted triage are each found")
    func editedRows() throws {
        for (sql, expected) in [
            ("UPDATE coverage SET records = records + 5", "coverage row-edited"),
            ("UPDATE alert SET severity = 'low'", "alert row-edited"),
            ("UPDATE alert_triage SET triaged_by = 'mallory@contoso.com'", "alert_triage row-edited"),
            ("DELETE FROM alert_triage", "alert_triage row-deleted"),
            ("UPDATE event SET outcome = 'failure' WHERE event_id = 'imp-1'", "event row-edited"),
        ] {
            let directory = try TemporaryDirectory()
            let db = try Self.database(in: directory)
            try Self.tamper(db, sql)
            let (status, found) = try Self.problems(db)
            #expect(status == 4, "\(sql)")
            #expect(found == [expected], "\(sql)")
        }
    }

    @Test("ingest --reread drops and recounts coverage through the chain: verify still passes, a re-added row does not")
    func rereadKeepsTheChain() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.database(in: directory)
        let logs = directory.path("logs.ndjson")
        let reread = try CLI.run(["ingest", "--db", db, "--reread", logs])
        #expect(reread.status == 0, "\(reread.stderr)")
        #expect(try CLI.run(["verify", "--db", db]).status == 0)
        let coverage = try DatabaseQueue(path: db).read { db in
            try Int.fetchOne(db, sql: "SELECT SUM(records) FROM coverage")
        }
        #expect(coverage == 2, "counted once after the re-read")
    }
}
