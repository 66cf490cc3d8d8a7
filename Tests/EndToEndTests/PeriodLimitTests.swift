import Foundation
import Testing

/// Issue 12: `report --from 0001-01-01 --to 9999-12-31` wrote 250 MB. A period is at most a year, refused before any
/// database is opened, with the option named.
@Suite("A period is at most a year")
struct PeriodLimitTests {
    @Test("report and drift refuse a span over 366 days with a usage error naming --from/--to; a leap year passes")
    func tooLong() throws {
        let directory = try TemporaryDirectory()
        let db = directory.path("audit.sqlite")
        let out = directory.path("Reports")
        let allowlist = PackageRoot.url.appendingPathComponent("Policies/allowlist.yaml").path
        for command in [
            ["report", "--db", db, "--allowlist", allowlist, "--out", out, "--from", "0001-01-01", "--to", "9999-12-31"],
            ["drift", "--db", db, "--allowlist", allowlist, "--from", "2025-01-01", "--to", "2026-01-02"],
        ] {
            let result = try CLI.run(command)
            #expect(result.status == 64, "\(command[0]): \(result.stderr)")
            #expect(result.stderr.contains("at most 366 days"), "\(result.stderr)")
            #expect(result.stderr.contains("--from"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
        #expect(!FileManager.default.fileExists(atPath: db), "no database created")
        // A whole leap year is one period.
        let year = try CLI.run(
            ["drift", "--db", db, "--allowlist", allowlist, "--from", "2024-01-01", "--to", "2024-12-31", "--json"])
        #expect(!year.stderr.contains("at most 366 days"), "\(year.stderr)")
    }
}
