import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Ingest
@testable import Reading
@testable import Store

/// Ingest through the real readers into a real SQLite file.
@Suite struct IngesterTests {
    static let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"

    static func record(id: String, time: String, operation: String = "MailItemsAccessed", params: [(String, String)] = [])
        -> String
    {
        let parameters = params.map { #"{"Name":"\#($0.0)","Value":"\#($0.1)"}"# }.joined(separator: ",")
        return #"{"CreationTime":"\#(time)","Id":"\#(id)","Operation":"\#(operation)","OrganizationId":"\#(tenant)","RecordType":1,"ResultStatus":"True","UserId":"exo-admin@contoso.com","Workload":"Exchange","ObjectId":"svc-backup","Parameters":[\#(parameters)]}"#
    }

    static func bypass(id: String, time: String, identity: String = "svc-backup") -> String {
        record(id: id, time: time, operation: ECSField.bypassCmdlet, params: [("Identity", identity), ("AuditBypassEnabled", "True")])
    }

    struct Fixture {
        let folder: URL
        let database: AuditDatabase

        init() throws {
            folder = try TestPaths.temporaryDirectory()
            database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        }

        func write(_ name: String, lines: [String]) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
            return path
        }

        func append(_ path: String, lines: [String]) throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            handle.write(Data(lines.map { $0 + "\n" }.joined().utf8))
            try handle.close()
        }

        func ingest(_ paths: String..., options: Ingester.Options = Ingester.Options()) throws -> IngestSummary {
            try Ingester(database: database, options: options).ingest(paths.map(InputSource.init(path:)))
        }

        func storedIDs() throws -> [String] {
            try database.read { db in try String.fetchAll(db, sql: "SELECT event_id FROM event ORDER BY event_id") }
        }

        func coverage() throws -> [UTCDay: Int] {
            try database.read { db in try CoverageStore.recordsPerDay(db, from: UTCDay("2026-01-01")!, through: UTCDay("2026-12-31")!) }
        }
    }

    @Test func storesBypassRecordsCountsEveryRecordAndReportsBadLines() throws {
        let fixture = try Fixture()
        let path = try fixture.write(
            "audit.ndjson",
            lines: [
                Self.record(id: "n1", time: "2026-10-01T10:00:00"),
                Self.bypass(id: "b1", time: "2026-10-01T11:00:00"),
                // Broken, and carrying the bypass cmdlet's name, so even the fast path must parse it and say so.
                #"{"CreationTime":"2026-10-02T10:00:00","Id":"broken","Operation":"Set-MailboxAuditBypassAssociation","#,
                Self.record(id: "n2", time: "2026-10-02T10:00:00"),
                Self.bypass(id: "b2", time: "2026-10-02T12:00:00"),
            ])
        let summary = try fixture.ingest(path)
        #expect(summary.files == 1)
        #expect(summary.records == 4)
        #expect(summary.eventsStored == 2)
        #expect(summary.skipped == 1)
        #expect(summary.errors.first?.file == path)
        #expect(summary.errors.first?.line == 3)
        #expect(try fixture.storedIDs() == ["b1", "b2"])
        #expect(try fixture.coverage() == [UTCDay("2026-10-01")!: 2, UTCDay("2026-10-02")!: 2])
    }

    @Test func aRerunOfAnUnchangedFileReadsNothingAndStoresNothingTwice() throws {
        let fixture = try Fixture()
        let path = try fixture.write("audit.ndjson", lines: [Self.bypass(id: "b1", time: "2026-10-01T11:00:00")])
        _ = try fixture.ingest(path)
        let again = try fixture.ingest(path)
        #expect(again.filesUnchanged == 1)
        #expect(again.eventsStored == 0)
        #expect(try fixture.coverage() == [UTCDay("2026-10-01")!: 1], "coverage is not counted twice")
    }

    @Test func theSameRecordFromTwoExportsIsStoredOnce() throws {
        let fixture = try Fixture()
        let first = try fixture.write("a.ndjson", lines: [Self.bypass(id: "b1", time: "2026-10-01T11:00:00")])
        let second = try fixture.write(
            "b.ndjson", lines: [Self.bypass(id: "b1", time: "2026-10-01T11:00:00"), Self.bypass(id: "b2", time: "2026-10-01T12:00:00")])
        _ = try fixture.ingest(first)
        let summary = try fixture.ingest(second)
        #expect(summary.eventsStored == 1)
        #expect(summary.duplicates == 1)
        #expect(try fixture.storedIDs() == ["b1", "b2"])
    }

    @Test func aGrowingFileResumesWhereItStopped() throws {
        let fixture = try Fixture()
        let path = try fixture.write("live.ndjson", lines: [Self.bypass(id: "b1", time: "2026-10-01T11:00:00")])
        _ = try fixture.ingest(path)
        try fixture.append(path, lines: [Self.record(id: "n1", time: "2026-10-03T10:00:00"), Self.bypass(id: "b2", time: "2026-10-03T11:00:00")])
        let summary = try fixture.ingest(path)
        #expect(summary.records == 2, "only the appended records are read")
        #expect(summary.eventsStored == 1)
        #expect(try fixture.coverage() == [UTCDay("2026-10-01")!: 1, UTCDay("2026-10-03")!: 2])
        let line = try fixture.database.read { db in try Int.fetchOne(db, sql: "SELECT line FROM event WHERE event_id = 'b2'") }
        #expect(line == 3, "line numbers continue across resumes")
    }

    @Test func aReplacedFileIsReadAsANewInput() throws {
        let fixture = try Fixture()
        let path = try fixture.write("rotating.ndjson", lines: [Self.bypass(id: "b1", time: "2026-10-01T11:00:00")])
        _ = try fixture.ingest(path)
        // Rotation in place: the same path (and possibly inode) now holds different, shorter content.
        _ = try fixture.write("rotating.ndjson", lines: [Self.bypass(id: "b9", time: "2026-10-09T11:00:00")])
        let summary = try fixture.ingest(path)
        #expect(summary.eventsStored == 1)
        #expect(try fixture.storedIDs() == ["b1", "b9"])
        let inputs = try fixture.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM input_file") }
        #expect(inputs == 2)
    }

    @Test func strictStopsAtTheFirstErrorKeepingEarlierBatches() throws {
        let fixture = try Fixture()
        let path = try fixture.write("bad.ndjson", lines: ["not json", Self.bypass(id: "b1", time: "2026-10-01T11:00:00")])
        #expect(throws: IngestError.self) { try fixture.ingest(path, options: Ingester.Options(strict: true)) }
        #expect(try fixture.storedIDs().isEmpty)
    }

    @Test func aMissingInputIsReportedAndTheOthersAreStillRead() throws {
        let fixture = try Fixture()
        let good = try fixture.write("good.ndjson", lines: [Self.bypass(id: "b1", time: "2026-10-01T11:00:00")])
        let summary = try fixture.ingest(fixture.folder.appendingPathComponent("missing.ndjson").path, good)
        #expect(summary.skipped == 1)
        #expect(summary.errors.first?.reason.isEmpty == false)
        #expect(try fixture.storedIDs() == ["b1"])
    }

    @Test func recordsTheRuleSetEachRunUsed() throws {
        let fixture = try Fixture()
        let path = try fixture.write("audit.ndjson", lines: [Self.bypass(id: "b1", time: "2026-10-01T11:00:00")])
        let interest = EventInterest(prefilter: .bypassOnly, ruleSetDigest: "digest-1", ruleIDs: ["rule-a"]) { _ in false }
        _ = try Ingester(database: fixture.database, interest: interest).ingest([InputSource(path: path)])
        let row = try fixture.database.read { db in try Row.fetchOne(db, sql: "SELECT rule_set_digest, rule_ids, records FROM ingest_run") }
        #expect(row?["rule_set_digest"] as String? == "digest-1")
        #expect(row?["rule_ids"] as String? == #"["rule-a"]"#)
        #expect(row?["records"] as Int? == 1)
    }

    @Test func keepsEventsALoadedRuleMatches() throws {
        let fixture = try Fixture()
        let path = try fixture.write(
            "audit.ndjson",
            lines: [
                Self.record(id: "m1", time: "2026-10-01T10:00:00", operation: "Set-Mailbox", params: [("AuditEnabled", "False")]),
                Self.record(id: "m2", time: "2026-10-01T10:00:00", operation: "Set-Mailbox", params: [("ProhibitSendQuota", "49 GB")]),
            ])
        let interest = EventInterest(
            prefilter: LinePrefilter(literalGroups: [["Set-Mailbox", "AuditEnabled"]]), ruleSetDigest: "d", ruleIDs: ["r"]
        ) { $0.action == "Set-Mailbox" && $0.parameter("AuditEnabled") == "False" }
        _ = try Ingester(database: fixture.database, interest: interest).ingest([InputSource(path: path)])
        #expect(try fixture.storedIDs() == ["m1"])
    }
}
