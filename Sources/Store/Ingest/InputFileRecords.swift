import Core
import Foundation
import GRDB

/// The table `input_file`: the bookkeeping of every input ingest reads, so a run resumes each from its checkpoint
/// and never reads a file it read completely again.
public enum InputFileRecords {
    /// The input with `identity`; nil when none was seen (or it was retired).
    public static func find(_ db: Database, identity: String) throws -> InputFileRow? {
        try InputFileRow.filter(InputFileRow.Columns.identity == identity).fetchOne(db)
    }

    /// Records a new input, read from its start; returns it with its id.
    public static func create(
        _ db: Database, identity: String, path: String, headDigest: String, headLength: Int, size: UInt64?,
        format: String? = nil, at time: Date
    ) throws -> InputFileRow {
        var row = InputFileRow(
            id: 0, identity: identity, headDigest: headDigest, headLength: headLength, path: path, format: format,
            size: size, committedOffset: 0, committedLine: 0, records: 0, skipped: 0, completed: false,
            firstSeenAt: time, updatedAt: time, checkpointDigest: nil)
        try row.insert(db)
        row.id = db.lastInsertedRowID
        return row
    }

    /// Frees the identity for a new file that reuses the inode (rotation, replacement, truncation); the old row and
    /// its coverage stay as history.
    public static func retire(_ db: Database, id: Int64) throws {
        try db.execute(
            sql: "UPDATE input_file SET identity = identity || '#retired-' || id WHERE id = ?", arguments: [id])
    }

    /// Rewinds an input to its start (`ingest --reread`): its counts and coverage are dropped, to be counted again
    /// by the re-read (so coverage is never counted twice); stored events stay and are recognised as duplicates.
    public static func restart(_ db: Database, id: Int64) throws {
        try CoverageStore.remove(db, inputFileID: id)
        typealias C = InputFileRow.Columns
        try InputFileRow.filter(key: id).updateAll(
            db, C.committedOffset.set(to: 0), C.committedLine.set(to: 0), C.records.set(to: 0), C.skipped.set(to: 0),
            C.completed.set(to: false))
    }

    /// Records a committed batch: the new resume position (`offset`, `line`), the bytes' digest before it, and the
    /// running counts.
    public static func advance(
        _ db: Database, id: Int64, toOffset offset: UInt64, line: Int, checkpointDigest: String?, records: Int,
        skipped: Int, at time: Date
    ) throws {
        typealias C = InputFileRow.Columns
        try InputFileRow.filter(key: id).updateAll(
            db, C.committedOffset.set(to: Int64(offset)), C.committedLine.set(to: line),
            C.checkpointDigest.set(to: checkpointDigest), C.records += records, C.skipped += skipped,
            C.updatedAt.set(to: UTCTimestamp.format(time)))
    }

    /// Adds to the running counts of an input that has no byte position (a cluster source).
    public static func addCounts(_ db: Database, id: Int64, records: Int, skipped: Int, at time: Date) throws {
        typealias C = InputFileRow.Columns
        try InputFileRow.filter(key: id).updateAll(
            db, C.records += records, C.skipped += skipped, C.updatedAt.set(to: UTCTimestamp.format(time)))
    }

    /// Records the `LogFormat` (raw value) the reader found.
    public static func setFormat(_ db: Database, id: Int64, format: String) throws {
        try InputFileRow.filter(key: id).updateAll(db, InputFileRow.Columns.format.set(to: format))
    }

    /// Marks an input read completely, with the size and head it had then.
    public static func markCompleted(_ db: Database, id: Int64, size: UInt64?, headDigest: String, headLength: Int)
        throws
    {
        typealias C = InputFileRow.Columns
        try InputFileRow.filter(key: id).updateAll(
            db, C.completed.set(to: true), C.size.set(to: size.map { Int64($0) }), C.headDigest.set(to: headDigest),
            C.headLength.set(to: headLength))
    }
}
