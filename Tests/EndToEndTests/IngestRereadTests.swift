import BypassAuditor
import Foundation
import Testing

/// `ingest --reread`: "ingest those logs again" must lead somewhere, and never store or count anything twice.
@Suite("ingest --reread")
struct IngestRereadTests {
    static func coverage(_ path: String) throws -> [UTCDay: Int] {
        let database = try AuditDatabase.open(path: path, .mustExist)
        return try database.read { db in
            try CoverageStore.recordsPerDay(db, from: UTCDay("2000-01-01")!, through: UTCDay("2099-12-31")!)
        }
    }

    @Test("Re-reads every file from the start; stores nothing twice; coverage is not counted twice")
    func rereads() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        let base = ["ingest", "--db", db, "--rules", IngestCommandTests.rules]
        let first = try CLI.run(base + [IngestCommandTests.samples])
        #expect(first.status == 0, "\(first.stderr)")
        let covered = try Self.coverage(db)

        let unchanged = try CLI.run(base + [IngestCommandTests.samples])
        #expect(unchanged.stdout.contains("4 file(s) unchanged since last ingest (--reread reads them again)"))

        let again = try CLI.run(base + ["--reread", "--json", IngestCommandTests.samples])
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try again.json()
        #expect(summary["files"] as? Int == 4)
        #expect(summary["files_unchanged"] as? Int == 0)
        #expect(summary["records"] as? Int == 2543)
        #expect(summary["events_stored"] as? Int == 0)
        #expect(summary["duplicates"] as? Int == 13)
        #expect(try Self.coverage(db) == covered)
    }
}
