import Foundation
import Testing

/// Records reach the store whole: a line still being written, a file rewritten in place, a huge number, a record
/// without Id (or inside a SIEM envelope), and a record without OrganizationId.
@Suite struct RecordFidelityCommandTests {
    private func ingest(_ db: String, _ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["ingest", "--db", db, "--json"] + arguments)
    }

    private func accounts(_ db: String, _ extra: [String] = []) throws -> [String] {
        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01", "--json"] + extra).json()
        return (inventory["accounts"] as? [[String: Any]] ?? []).compactMap { $0["account"] as? String }
    }

    @Test func aLineWrittenInTwoHalvesIsStoredOnceFinished() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        let record = AuditRecordLines.bypass(id: "half-1", identity: "j.doe")
        let split = record.index(record.startIndex, offsetBy: record.count / 2)
        let path = try folder.write("growing.ndjson", AuditRecordLines.noise(id: "n-1") + "\n" + record[..<split])
        let first = try ingest(db, [path])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try first.json()
        #expect(summary["skipped"] as? Int == 0, "an unfinished line is not malformed")
        #expect((summary["held_back"] as? [Any])?.count == 1)
        // The writer finishes the line.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((record[split...] + "\n").utf8))
        try handle.close()
        let second = try ingest(db, [path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try second.json()["events_stored"] as? Int == 1)
        #expect(try second.json()["skipped"] as? Int == 0)
        #expect(try accounts(db) == ["j.doe"])
    }

    @Test func anUnfinishedLineOfAFileLeftAloneIsReported() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        let record = AuditRecordLines.bypass(id: "cut-1", identity: "j.doe")
        let path = try folder.write("cut.ndjson", String(record.prefix(record.count - 10)))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: path)
        let result = try ingest(db, [path])
        #expect(result.status == 2, "a stable file's broken last line is a skipped record")
        #expect((try result.json()["errors"] as? [Any])?.count == 1)
    }

    @Test func aFileRewrittenInPlaceWithALateRecordIsReadAgain() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        // Enough lines that the head digest (first 4 KiB) does not reach the late record.
        let early = (1...60).map { AuditRecordLines.noise(id: "n-\($0)") }
        let path = try folder.write("rewritten.ndjson", early.joined(separator: "\n") + "\n")
        #expect(try ingest(db, [path]).status == 0)
        // `cat new > file`: same inode, same head, a late bypass inserted before the old end.
        let late = AuditRecordLines.bypass(id: "late-1", identity: "j.doe")
        let rewritten = (early[..<50] + [late] + early[50...]).joined(separator: "\n") + "\n"
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(rewritten.utf8))
        try handle.close()
        let again = try ingest(db, [path])
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try again.json()
        #expect(summary["files_reread"] as? Int == 1)
        #expect(summary["events_stored"] as? Int == 1)
        #expect(summary["skipped"] as? Int == 0, "no bogus malformed JSON")
        #expect(try accounts(db) == ["j.doe"])
    }

    @Test func aHugeNumberKeepsTheEventAndItsSourceText() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        let path = try folder.write(
            "huge.ndjson", AuditRecordLines.bypass(id: "huge-1", identity: "j.doe", extra: #""Junk": 1e400"#) + "\n")
        let result = try ingest(db, [path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try result.json()["events_stored"] as? Int == 1)
        #expect(try accounts(db) == ["j.doe"])
        let verify = try CLI.run(["verify", "--db", db, "--json"])
        #expect(verify.status == 0, "no false tamper alarm: \(verify.stdout)")
        let alerts = try CLI.run(["detect", "--db", db, "--json", "--now", "2026-10-22"]).json()
        #expect((alerts["alerts"] as? [[String: Any]])?.first?["event_id"] as? String == "huge-1")
    }

    @Test func recordsWithoutIdAreKeptOnceUnderADerivedIdAndEnvelopesAreUnwrapped() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        let bare = AuditRecordLines.bypass(id: nil, identity: "j.doe")
        let wrapped = #"{"event":\#(bare),"routing":{"hostname":"o365-adapter","event_type":"ExchangeAdmin"}}"#
        let first = try folder.write("lc.ndjson", wrapped + "\n")
        let result = try ingest(db, [first])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try result.json()["events_stored"] as? Int == 1)
        #expect(try result.json()["derived_ids"] as? Int == 1)
        // The same record, unwrapped, in another file: the same derived id, stored once.
        let second = try folder.write("raw.ndjson", bare + "\n")
        let again = try ingest(db, [second])
        #expect(try again.json()["events_stored"] as? Int == 0)
        #expect(try again.json()["duplicates"] as? Int == 1)
        let inventory = try CLI.run(["inventory", "--db", db, "--as-of", "2026-11-01", "--json"]).json()
        let account = try #require((inventory["accounts"] as? [[String: Any]])?.first)
        #expect(account["account"] as? String == "j.doe")
        #expect((account["since_event_id"] as? String)?.hasPrefix("derived:sha256:") == true)
        let detect = try CLI.run(["detect", "--db", db, "--now", "2026-10-22"])
        #expect(detect.stdout.contains("its id was derived"), "\(detect.stdout)")
    }

    @Test func recordsWithoutTenantAreCountedWarnedAndAssignedWithTenant() throws {
        let folder = try TemporaryDirectory()
        let db = folder.path("db.sqlite")
        let path = try folder.write(
            "mixed.ndjson",
            [
                AuditRecordLines.bypass(id: "t-1", identity: "j.doe"),
                AuditRecordLines.bypass(id: "u-1", identity: "svc-hidden", tenant: nil),
            ].joined(separator: "\n") + "\n")
        let result = try ingest(db, [path])
        #expect(result.status == 0)
        #expect(try result.json()["without_tenant"] as? Int == 1)
        #expect(result.stderr.contains("carry no OrganizationId"), "\(result.stderr)")
        #expect(result.stderr.contains(AuditRecordLines.tenant), "mixing is said out loud: \(result.stderr)")

        let other = folder.path("assigned.sqlite")
        let assigned = try ingest(other, ["--tenant", AuditRecordLines.tenant, path])
        #expect(assigned.status == 0)
        #expect(try assigned.json()["tenant_assigned"] as? Int == 1)
        #expect(try accounts(other).sorted() == ["j.doe", "svc-hidden"])
    }
}
