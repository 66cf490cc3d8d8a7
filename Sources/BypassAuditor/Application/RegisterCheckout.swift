import Policy
import Store
import Foundation

/// The register as `drift` and `report` take it: read, stored as a version in the database (so every run leaves
/// the register it judged against on record, valid or not), and refused when invalid.
public enum RegisterCheckout {
    public static func load(path: String, into database: AuditDatabase, at time: Date) throws -> Allowlist {
        // Shared with other readers, exclusive of editors: a file an edit has replaced but not yet logged is never
        // recorded as a direct edit. An edit a crash interrupted is settled first, for the same reason.
        let loaded = try RegisterLock.with(path, .shared) {
            _ = try AllowlistEditRecovery.settle(path: path, database: database)
            let loaded = try AllowlistLoader.load(path: path)
            _ = try database.write { db in try AllowlistHistory.record(db, loaded, path: path, at: time) }
            return loaded
        }
        guard loaded.isValid, let register = loaded.allowlist else { throw InvalidRegisterError(result: loaded) }
        return register
    }
}

/// The register has errors: drift and report do not run on it. Carries every problem for the user.
public struct InvalidRegisterError: Error, Sendable, Hashable, CustomStringConvertible {
    public let result: AllowlistLoadResult

    public var description: String {
        "\(DisplayText.visible(result.path)) is not a valid allowlist (\(result.errors.count) error(s))"
    }
}
