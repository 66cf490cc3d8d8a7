import Core
import Foundation
import GRDB

/// One pass over the whole hash chain, made in SQL (`Ledger.walk`): every entry's link to the one before and its
/// hash are checked where the rows are, so only the entries that fail become Swift values. `verify` runs before every
/// `drift` and `report`, and a chain of 400,000 entries read into memory cost seconds.
public struct LedgerWalk: Sendable {
    /// An entry that does not follow from the one before it, or whose hash does not match its content.
    public struct Break: Sendable {
        public var seq: Int64
        public var kind: String
        public var ref: String
        /// The sequence number the entry before it implies (`seq` when nothing is missing).
        public var expectedSeq: Int64
        /// Whether `prev_hash` is the hash of the entry before it.
        public var linked: Bool
        /// Whether the hash recomputed from the entry's own fields is the stored one.
        public var hashMatches: Bool
    }

    /// How many entries the chain holds.
    public var count: Int
    /// The newest entry's sequence number (0 for an empty chain).
    public var lastSeq: Int64
    /// The newest entry's hash (`Ledger.genesis` for an empty chain).
    public var head: String
    /// The highest sequence number ever used (SQLite's `AUTOINCREMENT` memory): above `lastSeq` when entries were
    /// removed from the end.
    public var highestSeqEverUsed: Int64
    public var countsByKind: [String: Int]
    public var breaks: [Break]
}

/// One stored chain entry with its content.
public struct LedgerEntryRow: Sendable {
    public var seq: Int64
    public var kind: String
    public var ref: String
    public var content: String
    public var previousHash: String
    public var hash: String
}

extension Ledger {
    /// `sha256_hex(blob)`: lower-case hex SHA-256 of its argument, registered on every connection so the chain can be
    /// checked in SQL. Callers pass `CAST(… AS BLOB)`: text reaches a Swift function cut at its first NUL.
    static let sha256Function = DatabaseFunction("sha256_hex", argumentCount: 1, pure: true) { values in
        guard let data = Data.fromDatabaseValue(values[0]) else { return nil }
        return SHA256Digest.hex(of: data)
    }

    /// Checks every entry's sequence, link and hash (see `LedgerWalk`).
    public static func walk(_ db: Database) throws -> LedgerWalk {
        // The hash input is `chainHash`'s: prev_hash, kind, ref and content joined by newlines.
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT seq, kind, ref, expected_seq, linked, hash_matches FROM (
                    SELECT seq, kind, ref,
                           LAG(seq, 1, 0) OVER chain + 1 AS expected_seq,
                           prev_hash = LAG(hash, 1, ?) OVER chain AS linked,
                           hash = sha256_hex(CAST(prev_hash || char(10) || kind || char(10) || ref || char(10) || content
                               AS BLOB)) AS hash_matches
                    FROM ledger WINDOW chain AS (ORDER BY seq)
                )
                WHERE seq != expected_seq OR NOT linked OR NOT hash_matches
                ORDER BY seq
                """, arguments: [genesis])
        var breaks: [LedgerWalk.Break] = []
        while let row = try cursor.next() {
            breaks.append(
                LedgerWalk.Break(
                    seq: row["seq"], kind: row["kind"], ref: row["ref"], expectedSeq: row["expected_seq"],
                    linked: row["linked"], hashMatches: row["hash_matches"]))
        }
        var countsByKind: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM ledger GROUP BY kind") {
            countsByKind[row["kind"]] = row["n"]
        }
        let lastSeq = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM ledger") ?? 0
        let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ledger'") ?? lastSeq
        return LedgerWalk(
            count: countsByKind.values.reduce(0, +), lastSeq: lastSeq, head: try head(db), highestSeqEverUsed: highest,
            countsByKind: countsByKind, breaks: breaks)
    }

    /// Every entry of `kinds`, with content, in chain order (for the kinds whose rows are compared in memory).
    public static func entries(_ db: Database, kinds: [Kind]) throws -> [LedgerEntryRow] {
        guard !kinds.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        return try Row.fetchAll(
            db, sql: "SELECT seq, kind, ref, content, prev_hash, hash FROM ledger WHERE kind IN (\(placeholders)) ORDER BY seq",
            arguments: StatementArguments(kinds.map(\.rawValue))
        ).map { row in
            LedgerEntryRow(
                seq: row["seq"], kind: row["kind"], ref: row["ref"], content: row["content"],
                previousHash: row["prev_hash"], hash: row["hash"])
        }
    }

    /// Entries of kinds the tool does not write, in chain order.
    public static func entriesOfUnknownKind(_ db: Database) throws -> [LedgerEntryRow] {
        let known = Kind.allCases.map(\.rawValue)
        let placeholders = Array(repeating: "?", count: known.count).joined(separator: ", ")
        return try Row.fetchAll(
            db,
            sql: "SELECT seq, kind, ref, '' AS content, prev_hash, hash FROM ledger WHERE kind NOT IN (\(placeholders)) ORDER BY seq",
            arguments: StatementArguments(known)
        ).map { row in
            LedgerEntryRow(
                seq: row["seq"], kind: row["kind"], ref: row["ref"], content: row["content"],
                previousHash: row["prev_hash"], hash: row["hash"])
        }
    }

    /// The hash of the entry at `seq` (`genesis` for 0, the empty chain); nil when no entry has that number.
    public static func hash(atSeq seq: Int64, _ db: Database) throws -> String? {
        seq == 0 ? genesis : try String.fetchOne(db, sql: "SELECT hash FROM ledger WHERE seq = ?", arguments: [seq])
    }

    /// The sequence number of the entry with `hash`, if the chain holds it.
    public static func seq(ofHash hash: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT seq FROM ledger WHERE hash = ? ORDER BY seq LIMIT 1", arguments: [hash])
    }

    /// How many entries follow `seq`.
    public static func count(after seq: Int64, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger WHERE seq > ?", arguments: [seq]) ?? 0
    }

    /// Whether any entry of `kind` exists.
    public static func hasEntries(_ db: Database, kind: Kind) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM ledger WHERE kind = ?)", arguments: [kind.rawValue]) ?? false
    }
}
