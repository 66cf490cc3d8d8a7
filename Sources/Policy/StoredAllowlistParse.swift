import Core
import Store
import Foundation
import GRDB

/// A register version's parse as the database keeps it (`allowlist_parse`): the register and every issue the
/// loader found, so that `drift` and `report` take an unchanged register from the store instead of parsing its YAML
/// again on every run (a quarter of a second for 5,000 entries, a fifth of a drift run's work at scale).
///
/// A stored parse has one owner, `AllowlistLoader`: it is only ever what the loader made of the version's exact
/// bytes, keyed by their SHA-256, by the path (which every issue names), and by `revision`. `verify` parses each
/// stored version again and reports a parse that differs (`problems`); the write guard keeps other clients from
/// writing one between verifications. A parse that cannot be decoded is never used: the register is parsed again.
public enum StoredAllowlistParse {
    /// The revision of what `AllowlistLoader` makes of a text. Raise it with any change to the loader that can change
    /// a parse (a key, a message, a position, a default): parses stored under another revision are then never used.
    /// `StoredAllowlistParseTests` pins the parse of a reference register to this revision, so a change that forgets
    /// to raise it fails there.
    public static let revision = 1

    /// What is stored: everything of a load result but the text and its digest, which the version already holds.
    struct Payload: Codable, Hashable {
        var allowlist: Allowlist?
        var issues: [AllowlistIssue]
    }

    /// Reads the register at `path` as `AllowlistLoader.load(path:)` does, taking the parse stored for these exact
    /// bytes when there is one; `wasStored` says whether it was.
    public static func load(path: String, from database: AuditDatabase) throws -> (
        result: AllowlistLoadResult, wasStored: Bool
    ) {
        try lookUp(path: path, from: database).result()
    }

    /// The register's bytes at `path`, with the parse stored for them still undecoded: what `RegisterCheckout` needs
    /// to know whether anything is to be recorded, before the decoding (about 65 ms at 5,000 entries).
    public static func lookUp(path: String, from database: AuditDatabase) throws -> Lookup {
        let data = try AllowlistLoader.bytes(path: path)
        let sha256 = SHA256Digest.hex(of: data)
        // Text that is not UTF-8 is not looked up: the loader reports where it breaks.
        guard let content = String(validatingUTF8Data: data) else {
            return Lookup(bytes: .notUTF8(data), sha256: sha256, path: path, storedParse: nil)
        }
        let storedParse = try database.read { db in
            try AllowlistParseStore.parse(db, sha256: sha256, path: path, revision: revision)
        }
        return Lookup(bytes: .text(content), sha256: sha256, path: path, storedParse: storedParse)
    }

    /// A register's bytes as read from its path, and the parse stored for them under this revision, if any.
    public struct Lookup: Sendable {
        /// The bytes, kept once: as text when they are UTF-8.
        enum Bytes: Sendable {
            case text(String)
            case notUTF8(Data)
        }

        let bytes: Bytes
        /// The SHA-256 of the bytes, as hex.
        public let sha256: String
        let path: String
        /// The stored parse, as stored.
        let storedParse: Data?

        /// Whether a parse is stored for these bytes under this revision (it may still not decode: `result`).
        public var hasStoredParse: Bool { storedParse != nil }

        /// What `AllowlistLoader` makes of the bytes: the stored parse decoded, or the text parsed when none is
        /// stored or the stored one does not decode; `wasStored` says which.
        public func result() -> (result: AllowlistLoadResult, wasStored: Bool) {
            switch bytes {
            case .notUTF8(let data):
                return (AllowlistLoader.load(data: data, path: path), false)
            case .text(let content):
                if let storedParse, let payload = try? JSONDecoder().decode(Payload.self, from: storedParse) {
                    let result = AllowlistLoadResult(
                        allowlist: payload.allowlist, issues: payload.issues, content: content, sha256: sha256,
                        path: path)
                    return (result, true)
                }
                // Parsed from the text and digest already in hand (`load(data:path:)` would hash and validate them
                // again).
                return (AllowlistLoader.parse(content: content, path: path, sha256: sha256).result, false)
            }
        }
    }

    /// Keeps `result`'s parse, in place of the parses of any other version (`AllowlistParseStore.store`).
    public static func store(_ db: Database, _ result: AllowlistLoadResult, at time: Date) throws {
        try AllowlistParseStore.store(
            db, sha256: result.sha256, path: result.path, revision: revision, bytes: try encoded(result), at: time)
    }

    static func encoded(_ result: AllowlistLoadResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Payload(allowlist: result.allowlist, issues: result.issues))
    }

    /// `verify`'s check: every stored parse of this revision must be what the loader makes of its version's text now.
    /// Parses of other revisions are never used and are not judged.
    public static func problems(_ db: Database) throws -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = []
        for stored in try AllowlistParseStore.all(db) where stored.parserRevision == revision {
            let ref = "\(stored.sha256):\(stored.path)"
            func problem(_ detail: String) -> IntegrityProblem {
                IntegrityProblem(
                    kind: .rowEdited, seq: nil, entryKind: nil, ref: ref, table: "allowlist_parse", detail: detail)
            }
            guard let text = try AllowlistVersionStore.text(db, sha256: stored.sha256) else {
                problems.append(problem("the stored parse is of a register version that is not stored"))
                continue
            }
            guard let payload = try? JSONDecoder().decode(Payload.self, from: stored.bytes) else {
                problems.append(problem("the stored parse cannot be read: it was edited outside the tool, or damaged"))
                continue
            }
            let fresh = AllowlistLoader.load(data: Data(text.utf8), path: stored.path)
            if payload != Payload(allowlist: fresh.allowlist, issues: fresh.issues) {
                problems.append(
                    problem("the stored parse is not what the register version's text parses to: it was edited "
                        + "outside the tool, and drift and report would have judged against it"))
            }
        }
        return problems
    }
}
