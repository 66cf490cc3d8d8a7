import Core
import Foundation
import GRDB

/// One row of `input_file`: one input (a file, standard input, a cluster source, a content blob) with where ingest
/// got to in it and what it found. Stored events and coverage name it as their origin.
public struct InputFileRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "input_file"

    public enum Columns {
        public static let id = Column("id")
        public static let identity = Column("identity")
        public static let headDigest = Column("head_digest")
        public static let headLength = Column("head_length")
        public static let path = Column("path")
        public static let format = Column("format")
        public static let size = Column("size")
        public static let committedOffset = Column("committed_offset")
        public static let committedLine = Column("committed_line")
        public static let records = Column("records")
        public static let skipped = Column("skipped")
        public static let completed = Column("completed")
        public static let firstSeenAt = Column("first_seen_at")
        public static let updatedAt = Column("updated_at")
        public static let checkpointDigest = Column("checkpoint_digest")
    }

    /// SQLite's id, assigned when the row is inserted (0 before): the record never writes it.
    public var id: Int64
    /// device:inode for a file, a one-off identity for standard input, the source key of a cluster or blob; a
    /// retired identity carries a `#retired-<id>` suffix.
    public var identity: String
    /// SHA-256 of the first `headLength` bytes: tells a replaced file that reuses the inode from the one read.
    public var headDigest: String
    public var headLength: Int
    public var path: String
    /// The `LogFormat` the reader found (nil until it read something).
    public var format: String?
    public var size: UInt64?
    /// The offset (in the decompressed stream) up to which every record is committed: always a record boundary.
    public var committedOffset: UInt64
    public var committedLine: Int
    public var records: Int
    public var skipped: Int
    public var completed: Bool
    public var firstSeenAt: Date
    public var updatedAt: Date
    /// SHA-256 of the bytes just before `committedOffset` of a plain file (nil: not kept), so a file rewritten in
    /// place is read again instead of resumed in the middle of different bytes.
    public var checkpointDigest: String?

    public init(
        id: Int64, identity: String, headDigest: String, headLength: Int, path: String, format: String?, size: UInt64?,
        committedOffset: UInt64, committedLine: Int, records: Int, skipped: Int, completed: Bool, firstSeenAt: Date,
        updatedAt: Date, checkpointDigest: String?
    ) {
        self.id = id
        self.identity = identity
        self.headDigest = headDigest
        self.headLength = headLength
        self.path = path
        self.format = format
        self.size = size
        self.committedOffset = committedOffset
        self.committedLine = committedLine
        self.records = records
        self.skipped = skipped
        self.completed = completed
        self.firstSeenAt = firstSeenAt
        self.updatedAt = updatedAt
        self.checkpointDigest = checkpointDigest
    }

    public init(row: Row) throws {
        id = try row.decode(Int64.self, forColumn: Columns.id)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: String(id))
        identity = try row.decode(String.self, forColumn: Columns.identity)
        headDigest = try row.decode(String.self, forColumn: Columns.headDigest)
        headLength = try row.decode(Int.self, forColumn: Columns.headLength)
        path = try row.decode(String.self, forColumn: Columns.path)
        format = try row.decode(String?.self, forColumn: Columns.format)
        size = try row.decode(Int64?.self, forColumn: Columns.size).map { try decoding.unsigned($0, column: Columns.size.name) }
        committedOffset = try decoding.unsigned(
            try row.decode(Int64.self, forColumn: Columns.committedOffset), column: Columns.committedOffset.name)
        committedLine = try row.decode(Int.self, forColumn: Columns.committedLine)
        records = try row.decode(Int.self, forColumn: Columns.records)
        skipped = try row.decode(Int.self, forColumn: Columns.skipped)
        completed = try row.decode(Bool.self, forColumn: Columns.completed)
        firstSeenAt = try decoding.date(try row.decode(String.self, forColumn: Columns.firstSeenAt), column: Columns.firstSeenAt.name)
        updatedAt = try decoding.date(try row.decode(String.self, forColumn: Columns.updatedAt), column: Columns.updatedAt.name)
        checkpointDigest = try row.decode(String?.self, forColumn: Columns.checkpointDigest)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.identity] = identity
        container[Columns.headDigest] = headDigest
        container[Columns.headLength] = headLength
        container[Columns.path] = path
        container[Columns.format] = format
        container[Columns.size] = size.map { Int64($0) }
        container[Columns.committedOffset] = Int64(committedOffset)
        container[Columns.committedLine] = committedLine
        container[Columns.records] = records
        container[Columns.skipped] = skipped
        container[Columns.completed] = completed
        container[Columns.firstSeenAt] = UTCTimestamp.format(firstSeenAt)
        container[Columns.updatedAt] = UTCTimestamp.format(updatedAt)
        container[Columns.checkpointDigest] = checkpointDigest
    }
}
