import Core
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How register versions are kept: a version that differs from the one it came from in one region (what every tool
/// edit makes, and most hand edits) is stored as that region plus a reference to its base, not as another copy of
/// the whole file. Each version is chained in the ledger by its digest (its `ref` is the SHA-256 of its text), so a
/// stored text or delta that was tampered with no longer rebuilds to that digest, which `verify` checks.
///
/// A version is stored in full when it has no base, when the changed region is more than half of it, or when its
/// base is already `maxDepth` deltas away from a full text (rebuilding applies every delta down the chain).
package enum AllowlistVersionStore {
    static let maxDepth = 32

    /// What the ledger chains for a version stored by this type: its digest and length, not its text (which the
    /// `ref` already pins down). Older versions chained their full text; `verify` accepts both.
    package static func chainedContent(sha256: String, byteCount: Int) -> String {
        "sha256:\(sha256) bytes:\(byteCount)"
    }

    /// Stores a new version of `content` (digest `sha256`, first seen at `time`) and returns its row id. `base` is
    /// the version it was derived from, with its text, when known.
    package static func insert(
        _ db: Database, content: String, sha256: String, path: String, at time: Date, base: (id: Int64, text: String)?
    ) throws -> Int64 {
        let bytes = Array(content.utf8)
        let delta = try base.flatMap { base in try self.delta(db, from: base, to: bytes) }
        var version = AllowlistVersionRecord(sha256: sha256, content: delta == nil ? content : "", path: path, firstSeenAt: time)
        try version.insert(db)
        if let delta, let base {
            try AllowlistVersionDeltaRecord(
                versionID: version.id, baseVersionID: base.id, prefixBytes: delta.prefix, suffixBytes: delta.suffix,
                middle: Data(delta.middle), depth: delta.depth
            ).insert(db)
        }
        return version.id
    }

    /// The row id of the version whose digest is `sha256`; nil when none is stored.
    package static func id(_ db: Database, sha256: String) throws -> Int64? {
        try AllowlistVersionRecord.filter(AllowlistVersionRecord.Columns.sha256 == sha256)
            .select(AllowlistVersionRecord.Columns.id, as: Int64.self).fetchOne(db)
    }

    /// A stored version's row id and digest (its ledger `ref`).
    package struct Digest: Sendable, Hashable {
        package var id: Int64
        package var sha256: String
    }

    /// Every stored version's id and digest, in insertion (id) order: what `verify` holds to the chain.
    package static func digests(_ db: Database) throws -> [Digest] {
        let request = AllowlistVersionRecord
            .select(AllowlistVersionRecord.Columns.id, AllowlistVersionRecord.Columns.sha256)
            .order(AllowlistVersionRecord.Columns.id)
        return try Row.fetchAll(db, request).map { row in
            Digest(
                id: try row.decode(forColumn: AllowlistVersionRecord.Columns.id),
                sha256: try row.decode(forColumn: AllowlistVersionRecord.Columns.sha256))
        }
    }

    private struct Delta {
        var prefix: Int
        var suffix: Int
        var middle: ArraySlice<UInt8>
        var depth: Int
    }

    /// The region where `new` differs from `base`, when storing it that way is worth it.
    private static func delta(_ db: Database, from base: (id: Int64, text: String), to new: [UInt8]) throws -> Delta? {
        // No delta row: the base is stored in full.
        let baseDepth = try AllowlistVersionDeltaRecord.fetchOne(db, key: base.id)?.depth ?? 0
        guard baseDepth < maxDepth else { return nil }
        let old = Array(base.text.utf8)
        let (prefix, suffix) = commonEnds(old, new)
        let middle = new[prefix..<(new.count - suffix)]
        guard middle.count * 2 <= new.count else { return nil }
        return Delta(prefix: prefix, suffix: suffix, middle: middle, depth: baseDepth + 1)
    }

    /// Lengths of the longest common prefix and (not overlapping it) the longest common suffix of two byte strings.
    static func commonEnds(_ old: [UInt8], _ new: [UInt8]) -> (prefix: Int, suffix: Int) {
        old.withUnsafeBufferPointer { a in
            new.withUnsafeBufferPointer { b in
                let limit = min(a.count, b.count)
                guard limit > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return (0, 0) }
                // Whole pages compared with memcmp first: registers are large and mostly equal.
                let page = 4096
                var prefix = 0
                while prefix + page <= limit, memcmp(pa + prefix, pb + prefix, page) == 0 { prefix += page }
                while prefix < limit, pa[prefix] == pb[prefix] { prefix += 1 }
                let room = limit - prefix
                var suffix = 0
                while suffix + page <= room,
                    memcmp(pa + (a.count - suffix - page), pb + (b.count - suffix - page), page) == 0
                {
                    suffix += page
                }
                while suffix < room, pa[a.count - 1 - suffix] == pb[b.count - 1 - suffix] { suffix += 1 }
                return (prefix, suffix)
            }
        }
    }

    /// Rebuilds stored versions; remembers the last one rebuilt, so walking versions in order rebuilds each from the
    /// one before it instead of from the nearest full text.
    package final class Reader {
        private let db: Database
        private var last: (id: Int64, bytes: [UInt8])?

        package init(_ db: Database) { self.db = db }

        /// The text of version `id`; nil when there is no such version. A version whose stored rows no longer fit
        /// together (a base or delta deleted) rebuilds to text that does not match its digest, never to an error.
        package func text(id: Int64) throws -> String? {
            try bytes(id: id, depth: 0).map { String(decoding: $0, as: UTF8.self) }
        }

        private func bytes(id: Int64, depth: Int) throws -> [UInt8]? {
            if let last, last.id == id { return last.bytes }
            guard
                let content = try AllowlistVersionRecord.filter(key: id)
                    .select(AllowlistVersionRecord.Columns.content, as: String.self).fetchOne(db)
            else { return nil }
            var result = Array(content.utf8)
            // A delta row counts only while the version's own text is empty: text written into it is what it holds.
            if content.isEmpty, depth <= AllowlistVersionStore.maxDepth + 1,
                let delta = try AllowlistVersionDeltaRecord.fetchOne(db, key: id)
            {
                // A base that is gone rebuilds as empty: the result then fails its digest, which `verify` reports.
                let base = try bytes(id: delta.baseVersionID, depth: depth + 1) ?? []
                let prefix = min(max(0, delta.prefixBytes), base.count)
                let suffix = min(max(0, delta.suffixBytes), base.count - prefix)
                result = Array(base[0..<prefix]) + Array(delta.middle) + Array(base[(base.count - suffix)...])
            }
            last = (id, result)
            return result
        }
    }

    /// The text of the version whose digest is `sha256`.
    package static func text(_ db: Database, sha256: String) throws -> String? {
        guard let id = try id(db, sha256: sha256) else { return nil }
        return try Reader(db).text(id: id)
    }
}
