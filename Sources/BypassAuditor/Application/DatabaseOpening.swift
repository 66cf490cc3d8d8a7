import Store
import Foundation

/// Whether a command may bring a database into being.
///
/// Only commands that put facts in (`ingest`, `snapshot import`, `allowlist add`, `init`) may create one; a command
/// that reads must refuse a path that does not exist, because an empty database answers "nothing is bypassed" and
/// a mistyped `--db` would then publish a clean month.
public enum DatabaseRequirement: Sendable, Hashable {
    /// The file must exist and be a database; nothing is created.
    case mustExist
    /// The file is created (and migrated) when absent.
    case createIfAbsent
}

/// Why a database could not be opened, in words a user can act on.
public enum DatabaseOpenError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(path: String)
    case notADatabase(path: String)
    case isFolder(path: String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no database at \(path): nothing was created. Ingest audit logs (`bypass-auditor ingest --db \(path) LOGS`) "
                + "or import a snapshot to create it, or pass the right --db (or set BYPASS_AUDITOR_DB)"
        case .notADatabase(let path):
            "\(path) is not a bypass-auditor database (it is not an SQLite file): check --db"
        case .isFolder(let path):
            "\(path) is a folder, not a database file: pass the database file with --db"
        }
    }
}

extension AuditDatabase {
    /// The 16 bytes every SQLite 3 database file starts with.
    private static let sqliteHeader = Data("SQLite format 3\u{0}".utf8)

    /// Opens the database at `path` as `requirement` allows. A file that is not an SQLite database is refused
    /// before SQLite sees it, so the user reads "not a database" rather than an SQLite error number; a file this
    /// process cannot write is refused for `.readWrite` with `StoreError.readOnly`, which says which commands work.
    public static func open(
        path: String, _ requirement: DatabaseRequirement, access: AuditDatabase.Access = .readWrite
    ) throws -> AuditDatabase {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists, isFolder.boolValue { throw DatabaseOpenError.isFolder(path: path) }
        if !exists, requirement == .mustExist { throw DatabaseOpenError.missing(path: path) }
        if exists, let handle = FileHandle(forReadingAtPath: path) {
            defer { try? handle.close() }
            let header = (try? handle.read(upToCount: sqliteHeader.count)) ?? Data()
            // An empty file is what SQLite itself creates before the first write: it becomes a database.
            if !header.isEmpty, header != sqliteHeader { throw DatabaseOpenError.notADatabase(path: path) }
        }
        if exists, access == .readWrite, !AuditDatabase.isWritable(path) { throw StoreError.readOnly(path: path) }
        return try AuditDatabase(path: path, access: access)
    }

    /// Whether opening `path` with `.createIfAbsent` would create a new database (for the warning commands print).
    public static func wouldCreate(path: String) -> Bool {
        !FileManager.default.fileExists(atPath: path)
    }
}
