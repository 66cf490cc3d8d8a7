import Core
import Crypto
import Foundation
import GRDB

/// The append-only hash chain over the history auditors rely on: every stored event (bypass changes and the rest),
/// snapshot row and snapshot correction, register version and register edit, alert and its triage, per-day coverage
/// count and collection gap.
///
/// Entries are chained in insertion order (late-arriving files are normal and must not look like tampering):
/// `hash = SHA-256(prev_hash + "\n" + kind + "\n" + ref + "\n" + content)`. Whoever can edit the file can
/// recompute the chain, so reports publish the head and `verify --expect-head` checks a later database against it.
public enum Ledger {
    /// What a chain entry stands for; `ref` is that item's key in its own table.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A bypass event chained with its whole document (databases written before `bypass-event`).
        case bypassChange = "bypass-change"
        /// A bypass event chained with its indexed columns, its document's SHA-256 and its derived fact
        /// (`ChainedTable.bypassEvent`).
        case bypassEvent = "bypass-event"
        case snapshotRow = "snapshot-row"
        case allowlistVersion = "allowlist-version"
        case allowlistEdit = "allowlist-edit"
        /// A stored event other than a bypass change (see `ChainedTable`).
        case storedEvent = "stored-event"
        case alert
        case alertTriage = "alert-triage"
        /// A per-day record count (a new entry each time the tool changes it).
        case coverage
        /// A window the Management Activity API could no longer serve.
        case collectionGap = "collection-gap"
        /// A snapshot removed or re-dated after import (`snapshot remove` / `snapshot redate`): the entry that
        /// explains why a chained snapshot is gone or carries another taking time.
        case snapshotCorrection = "snapshot-correction"
        /// A run that found the register changed since the run before (`ChainedTable.allowlistObservation`).
        case allowlistObservation = "allowlist-observation"
        /// An entry added, changed or removed between two observed register versions: the register-change control
        /// and its direct-edit findings rest on it (`ChainedTable.allowlistChange`).
        case allowlistChange = "allowlist-change"
    }

    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Appends one entry inside the caller's transaction, so the item and its chain link commit together.
    @discardableResult
    public static func append(_ db: Database, kind: Kind, ref: String, content: String, at time: Date = Date()) throws
        -> String
    {
        let previous = try head(db)
        let hash = chainHash(previous: previous, kind: kind.rawValue, ref: ref, content: content)
        // Cached: ingest appends an entry per stored event, and preparing the statement each time cost more than
        // running it.
        try db.cachedStatement(
            sql: "INSERT INTO ledger (kind, ref, content, prev_hash, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [kind.rawValue, ref, content, previous, hash, UTCTimestamp.format(time)])
        return hash
    }

    /// The newest entry's hash (the genesis hash for an empty chain).
    public static func head(_ db: Database) throws -> String {
        try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1")) ?? genesis
    }

    public static func chainHash(previous: String, kind: String, ref: String, content: String) -> String {
        SHA256Digest.hex(of: Data("\(previous)\n\(kind)\n\(ref)\n\(content)".utf8))
    }
}
