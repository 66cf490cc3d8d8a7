import Core
import Policy
import Store
import Foundation

/// The register as `drift` and `report` take it: read, stored as a version in the database (so every run leaves
/// the register it judged against on record, valid or not), and refused when invalid.
///
/// On a database opened read-only (an evidence copy) nothing is recorded; `notRecordedNote` says so for the user.
public enum RegisterCheckout {
    public static func load(path: String, into database: AuditDatabase, at time: Date) throws -> Allowlist {
        // Shared with other readers, exclusive of editors: a file an edit has replaced but not yet logged is never
        // recorded as a direct edit. An edit a crash interrupted is settled first, for the same reason (not on a
        // read-only evidence copy, where nothing is recorded).
        // An unchanged register is taken from its stored parse (`StoredAllowlistParse`); a new one is parsed, and its
        // parse kept beside its version.
        let loaded = try RegisterLock.with(path, .shared) {
            if database.isReadOnly { return try StoredAllowlistParse.load(path: path, from: database).result }
            _ = try AllowlistEditRecovery.settle(path: path, database: database)
            let (loaded, wasStored) = try StoredAllowlistParse.load(path: path, from: database)
            try database.write { db in
                _ = try AllowlistHistory.record(db, loaded, path: path, at: time)
                if !wasStored { try StoredAllowlistParse.store(db, loaded, at: time) }
            }
            return loaded
        }
        guard loaded.isValid, let register = loaded.allowlist else { throw InvalidRegisterError(result: loaded) }
        return register
    }

    /// What a run on a read-only database tells the user: the register it judged against is not on record.
    public static func notRecordedNote(path: String, database: AuditDatabase) -> String? {
        guard database.isReadOnly else { return nil }
        let digest = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { SHA256Digest.hex(of: $0) } ?? "?"
        return "the database \(database.path) is read-only: this run's register version (\(path), sha256 \(digest)) "
            + "was not recorded in it; the findings are the same"
    }
}

/// The register has errors: drift and report do not run on it. Carries every problem for the user.
public struct InvalidRegisterError: Error, Sendable, Hashable, CustomStringConvertible {
    public let result: AllowlistLoadResult

    public var description: String {
        "\(DisplayText.visible(result.path)) is not a valid allowlist (\(result.errors.count) error(s))"
    }
}
