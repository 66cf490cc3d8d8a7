import Foundation
import GRDB
import Testing

@testable import Core
@testable import Store

/// Store's records for the Ingest tables: input files with their checkpoints, and ingest runs.
@Suite struct IngestRecordsTests {
    typealias T = StoreTestDatabase

    @Test("an input is created at its start, found by identity, advanced batch by batch and marked complete")
    func inputFileCheckpointRoundTrip() throws {
        let database = try T.make()
        let created = try database.write { db in
            try InputFileRecords.create(
                db, identity: "1:42", path: "/logs/a.json", headDigest: "h", headLength: 10, size: 500, at: T.time(1))
        }
        #expect(created.id > 0 && created.committedOffset == 0 && !created.completed && created.format == nil)
        try database.write { db throws in
            try InputFileRecords.advance(
                db, id: created.id, toOffset: 200, line: 4, checkpointDigest: "c1", records: 4, skipped: 1, at: T.time(2))
            try InputFileRecords.advance(
                db, id: created.id, toOffset: 500, line: 9, checkpointDigest: "c2", records: 5, skipped: 0, at: T.time(3))
            try InputFileRecords.setFormat(db, id: created.id, format: "ndjson")
            try InputFileRecords.markCompleted(db, id: created.id, size: 500, headDigest: "h2", headLength: 20)
        }
        let found = try #require(try database.read { db in try InputFileRecords.find(db, identity: "1:42") })
        #expect(found.id == created.id && found.path == "/logs/a.json" && found.format == "ndjson")
        #expect(found.committedOffset == 500 && found.committedLine == 9 && found.checkpointDigest == "c2")
        #expect(found.records == 9 && found.skipped == 1 && found.completed && found.size == 500)
        #expect(found.headDigest == "h2" && found.headLength == 20)
        #expect(found.firstSeenAt == T.time(1) && found.updatedAt == T.time(3))
        #expect(try database.read { db in try InputFileRecords.find(db, identity: "1:43") } == nil)
    }

    @Test("a retired input frees its identity for a new file; its row stays as history")
    func retiringFreesTheIdentity() throws {
        let database = try T.make()
        try database.write { db throws in
            let old = try InputFileRecords.create(
                db, identity: "1:42", path: "a", headDigest: "", headLength: 0, size: nil, at: T.time(1))
            try InputFileRecords.retire(db, id: old.id)
            #expect(try InputFileRecords.find(db, identity: "1:42") == nil)
            #expect(try InputFileRecords.find(db, identity: "1:42#retired-\(old.id)")?.id == old.id)
            let new = try InputFileRecords.create(
                db, identity: "1:42", path: "a", headDigest: "", headLength: 0, size: nil, at: T.time(2))
            #expect(new.id != old.id)
        }
    }

    @Test("a restarted input is back at its start with its counts and coverage dropped, each removal chained")
    func restartDropsCountsAndCoverage() throws {
        let database = try T.make()
        let day = try #require(UTCDay("2026-10-05"))
        let file = try database.write { db in
            let file = try InputFileRecords.create(
                db, identity: "a", path: "a", headDigest: "", headLength: 0, size: nil, at: T.time(1))
            let other = try InputFileRecords.create(
                db, identity: "b", path: "b", headDigest: "", headLength: 0, size: nil, at: T.time(1))
            try InputFileRecords.advance(db, id: file.id, toOffset: 90, line: 3, checkpointDigest: nil, records: 3, skipped: 1, at: T.time(2))
            try InputFileRecords.markCompleted(db, id: file.id, size: 90, headDigest: "", headLength: 0)
            try CoverageStore.add(db, inputFileID: file.id, counts: [day: 3, day.advanced(by: 1): 2])
            try CoverageStore.add(db, inputFileID: other.id, counts: [day: 7])
            return file
        }
        let chainedBefore = try database.read { db in try T.ledgerEntries(db, kind: .coverage) }
        try database.write { db in try InputFileRecords.restart(db, id: file.id) }
        let restarted = try #require(try database.read { db in try InputFileRecords.find(db, identity: "a") })
        #expect(restarted.committedOffset == 0 && restarted.committedLine == 0 && !restarted.completed)
        #expect(restarted.records == 0 && restarted.skipped == 0)
        try database.read { db throws in
            #expect(try CoverageStore.recordsPerDay(db, from: day, through: day.advanced(by: 1)) == [day: 7])
            #expect(try T.ledgerEntries(db, kind: .coverage) == chainedBefore + 2, "one removal entry per dropped count")
        }
    }

    @Test("a negative stored offset or an unparsable time is an error naming the column")
    func undecodableInputFileValuesThrow() throws {
        let database = try T.make()
        try database.write { db throws in
            _ = try InputFileRecords.create(db, identity: "a", path: "a", headDigest: "", headLength: 0, size: nil, at: T.time(1))
            try db.execute(sql: "UPDATE input_file SET committed_offset = -1")
        }
        T.expectUndecodable(table: "input_file", column: "committed_offset") {
            _ = try database.read { db in try InputFileRecords.find(db, identity: "a") }
        }
        try database.write { db in try db.execute(sql: "UPDATE input_file SET committed_offset = 0, updated_at = 'now'") }
        T.expectUndecodable(table: "input_file", column: "updated_at") {
            _ = try database.read { db in try InputFileRecords.find(db, identity: "a") }
        }
    }

    @Test("an ingest run is begun with its rules, finished with its counts; only runs that read records are listed")
    func ingestRunsRoundTrip() throws {
        let database = try T.make()
        let (read, empty) = try database.write { db in
            let read = try IngestRunRecords.begin(db, ruleSetDigest: "d1", ruleIDs: ["r1", "r2"], at: T.time(1))
            let empty = try IngestRunRecords.begin(db, ruleSetDigest: "d2", ruleIDs: ["r3"], at: T.time(2))
            try IngestRunRecords.finish(
                db, id: read, at: T.time(5), files: 2, records: 40, eventsStored: 3, duplicates: 1, skipped: 2)
            try IngestRunRecords.finish(
                db, id: empty, at: T.time(6), files: 0, records: 0, eventsStored: 0, duplicates: 0, skipped: 0)
            return (read, empty)
        }
        let runs = try database.read { db in try IngestRunRecords.runsThatReadRecords(db) }
        #expect(runs.map(\.id) == [read])
        let run = try #require(runs.first)
        #expect(run.ruleIDs == ["r1", "r2"] && run.ruleSetDigest == "d1" && run.startedAt == T.time(1))
        #expect(run.finishedAt == T.time(5) && run.files == 2 && run.records == 40)
        #expect(run.eventsStored == 3 && run.duplicates == 1 && run.skipped == 2)
        #expect(empty != read)
        try database.write { db in try db.execute(sql: "UPDATE ingest_run SET rule_ids = '{' WHERE id = ?", arguments: [read]) }
        T.expectUndecodable(table: "ingest_run", column: "rule_ids") {
            _ = try database.read { db in try IngestRunRecords.runsThatReadRecords(db) }
        }
    }
}
