import Core
import Policy
import Store
import Foundation
import GRDB

/// The register as `drift` and `report` take it: read, stored as a version in the database (so every run leaves
/// the register it judged against on record, valid or not), and refused when invalid.
///
/// On a database opened read-only (an evidence copy) nothing is recorded; `notRecordedNote` says so for the user.
public enum RegisterCheckout {
    /// `record`, then the register (`RecordedRegister.register`).
    public static func load(path: String, into database: AuditDatabase, at time: Date) throws -> Allowlist {
        try record(path: path, into: database, at: time).register()
    }

    /// Reads the register at `path` and records its version, leaving an unchanged register's stored parse to be
    /// decoded when it is wanted (`RecordedRegister.register`): a report reads the register's history in the state
    /// this record leaves, so it must come first, but the decoding (about 65 ms at 5,000 entries) need not.
    /// Throws `InvalidRegisterError` (after recording the version) when the register has errors; a register found
    /// valid when last seen is decoded later.
    public static func record(path: String, into database: AuditDatabase, at time: Date) throws -> RecordedRegister {
        // Shared with other readers, exclusive of editors: a file an edit has replaced but not yet logged is never
        // recorded as a direct edit. An edit a crash interrupted is settled first, for the same reason (not on a
        // read-only evidence copy, where nothing is recorded).
        // An unchanged register is taken from its stored parse (`StoredAllowlistParse`); a new one is parsed, and its
        // parse kept beside its version.
        try RegisterLock.with(path, .shared) {
            // The version seen last, found valid then, with its parse stored: `AllowlistHistory.record` would store
            // nothing, so the parse is decoded when wanted; a register found invalid is still refused here, before
            // the caller reads anything. Checked in the transaction that would record (on a writable database).
            func isUnchangedAndValid(_ lookup: StoredAllowlistParse.Lookup) throws -> Bool {
                guard lookup.hasStoredParse else { return false }
                let check = { (db: Database) in try AllowlistHistory.isLatestValid(db, sha256: lookup.sha256) }
                return database.isReadOnly ? try database.read(check) : try database.write(check)
            }
            if database.isReadOnly {
                let lookup = try StoredAllowlistParse.lookUp(path: path, from: database)
                if try isUnchangedAndValid(lookup) { return RecordedRegister(.stored(lookup)) }
                return RecordedRegister(.loaded(try validRegister(lookup.result().result)))
            }
            _ = try AllowlistEditRecovery.settle(path: path, database: database)
            let lookup = try StoredAllowlistParse.lookUp(path: path, from: database)
            if try isUnchangedAndValid(lookup) { return RecordedRegister(.stored(lookup)) }
            let (loaded, wasStored) = lookup.result()
            try database.write { db in
                _ = try AllowlistHistory.record(db, loaded, path: path, at: time)
                if !wasStored { try StoredAllowlistParse.store(db, loaded, at: time) }
            }
            return RecordedRegister(.loaded(try validRegister(loaded)))
        }
    }

    static func validRegister(_ loaded: AllowlistLoadResult) throws -> Allowlist {
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

/// A register whose version is on record (`RegisterCheckout.record`), parsed or still to be decoded from its
/// stored parse.
public struct RecordedRegister: Sendable {
    enum Parse: Sendable {
        case loaded(Allowlist)
        case stored(StoredAllowlistParse.Lookup)
    }

    let parse: Parse

    init(_ parse: Parse) { self.parse = parse }

    /// The register; throws `InvalidRegisterError` when it has errors. A stored parse that does not decode is never
    /// used: the register is parsed again (and `verify` reports the damaged row).
    public func register() throws -> Allowlist {
        switch parse {
        case .loaded(let register): register
        case .stored(let lookup): try RegisterCheckout.validRegister(lookup.result().result)
        }
    }
}

/// The register has errors: drift and report do not run on it. Carries every problem for the user.
public struct InvalidRegisterError: Error, Sendable, Hashable, CustomStringConvertible {
    public let result: AllowlistLoadResult

    public var description: String {
        "\(DisplayText.visible(result.path)) is not a valid allowlist (\(result.errors.count) error(s))"
    }
}
