import Core
import Store
import Reading
import Foundation
import GRDB

/// The stored bookkeeping of one input file: its identity, where ingest got to, and what it found.
package struct InputFileRecord: Sendable {
    package var id: Int64
    var identity: String
    var headDigest: String
    var headLength: Int
    var size: UInt64?
    var committed: ReadPosition
    var completed: Bool
    /// `FileIdentity.checkpointDigest` at `committed` (nil: not kept).
    var checkpointDigest: String?

    static func find(identity: String, _ db: Database) throws -> InputFileRecord? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, identity, head_digest, head_length, size, committed_offset, committed_line, completed,
                           checkpoint_digest
                    FROM input_file WHERE identity = ?
                    """, arguments: [identity])
        else { return nil }
        return InputFileRecord(
            id: row["id"], identity: row["identity"], headDigest: row["head_digest"], headLength: row["head_length"],
            size: (row["size"] as Int64?).map { UInt64($0) },
            committed: ReadPosition(offset: UInt64(row["committed_offset"] as Int64), line: row["committed_line"]),
            completed: row["completed"], checkpointDigest: row["checkpoint_digest"])
    }

    package static func create(
        identity: String, path: String, headDigest: String, headLength: Int, size: UInt64?, at time: Date,
        _ db: Database
    ) throws -> InputFileRecord {
        let now = UTCTimestamp.format(time)
        try db.execute(
            sql: """
                INSERT INTO input_file (identity, path, head_digest, head_length, size, first_seen_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [identity, path, headDigest, headLength, size.map { Int64($0) }, now, now])
        return InputFileRecord(
            id: db.lastInsertedRowID, identity: identity, headDigest: headDigest, headLength: headLength, size: size,
            committed: .start, completed: false)
    }

    /// Frees the identity for a new file that reuses the inode (rotation, replacement, truncation); the old row and
    /// its coverage stay as history.
    static func retire(id: Int64, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE input_file SET identity = identity || '#retired-' || id WHERE id = ?", arguments: [id])
    }

    /// Rewinds a file to its start for `ingest --reread`: its counts and coverage are dropped, to be counted again
    /// by the re-read (so coverage is never counted twice); stored events stay and are recognised as duplicates.
    static func restart(id: Int64, _ db: Database) throws {
        try ChainedTable.coverage.recordRemovalOfAll(db, where: "t.input_file_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM coverage WHERE input_file_id = ?", arguments: [id])
        try db.execute(
            sql: """
                UPDATE input_file SET committed_offset = 0, committed_line = 0, records = 0, skipped = 0, completed = 0
                WHERE id = ?
                """,
            arguments: [id])
    }

    /// Records a committed batch: the new resume position and running counts.
    static func advance(
        id: Int64, to position: ReadPosition, checkpointDigest: String?, records: Int, skipped: Int, at time: Date,
        _ db: Database
    ) throws {
        try db.execute(
            sql: """
                UPDATE input_file SET committed_offset = ?, committed_line = ?, checkpoint_digest = ?,
                       records = records + ?, skipped = skipped + ?, updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                Int64(position.offset), position.line, checkpointDigest, records, skipped, UTCTimestamp.format(time), id,
            ])
    }

    package static func setFormat(id: Int64, _ format: LogFormat, _ db: Database) throws {
        try db.execute(sql: "UPDATE input_file SET format = ? WHERE id = ?", arguments: [format.rawValue, id])
    }

    static func markCompleted(id: Int64, size: UInt64?, headDigest: String, headLength: Int, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE input_file SET completed = 1, size = ?, head_digest = ?, head_length = ? WHERE id = ?",
            arguments: [size.map { Int64($0) }, headDigest, headLength, id])
    }
}
