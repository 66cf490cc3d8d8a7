import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tool's SQLite database: every stored event, checkpoint, snapshot, alert, register version and report run.
///
/// Opened read-write, it is a WAL-mode pool, so that readers (`report`, `inventory`) never wait for a long `ingest`,
/// and writers wait for each other (busy timeout) instead of failing: ingest commits in short batches so no writer
/// holds the lock for long. Opened read-only (commands that only read), it never writes, so it works on an
/// evidence copy that cannot be written (read-only mount, `chattr +i`, no write permission).
public final class AuditDatabase: Sendable {
    /// How a command uses the database.
    public enum Access: Sendable, Hashable {
        /// Created, migrated and written as needed.
        case readWrite
        /// Never written. A database from an older version is migrated first when the file can be written, and
        /// refused with `StoreError.needsUpgrade` when it cannot.
        case readOnly
    }

    public let path: String
    /// Whether this connection can write (false for `.readOnly`).
    public let isReadOnly: Bool
    /// True when the file could only be opened as immutable (`immutable=1`: its folder cannot be written, so
    /// SQLite cannot keep the WAL index beside it). SQLite then assumes nothing changes the file meanwhile, which
    /// holds for an evidence copy.
    public let isImmutable: Bool
    let connection: any DatabaseWriter

    /// The default location, `./bypass-auditor.sqlite`.
    public static let defaultPath = "bypass-auditor.sqlite"

    /// Opens (creating when absent) and migrates the database at `path` for reading and writing.
    public convenience init(path: String) throws {
        try self.init(path: path, access: .readWrite)
    }

    public init(path: String, access: Access) throws {
        self.path = path
        switch access {
        case .readWrite:
            connection = try Self.openReadWrite(path)
            isReadOnly = false
            isImmutable = false
        case .readOnly:
            var opened = try Self.openReadOnly(path)
            if try !opened.queue.read({ db in try AuditSchema.migrator.hasCompletedMigrations(db) }) {
                guard Self.isWritable(path) else { throw StoreError.needsUpgrade(path: path) }
                // An older database the user may write: upgrade it once, as any command would, then read.
                try opened.queue.close()
                _ = try Self.openReadWrite(path)
                opened = try Self.openReadOnly(path)
            }
            connection = opened.queue
            isReadOnly = true
            isImmutable = opened.immutable
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try connection.read(body)
    }

    @discardableResult
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        if isReadOnly { throw StoreError.readOnly(path: path) }
        return try connection.write(body)
    }

    /// Whether this process may write the file and the folder it is in (SQLite needs both: the WAL and its index
    /// live beside the file).
    public static func isWritable(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        return access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
    }

    /// The page cache of the writing connection (SQLite's default is 2 MiB). Storing a month of 200,000 bypass
    /// changes touches event ids, ledger refs and alert keys all over their indexes; with 2 MiB the dirty pages spilled
    /// to the WAL within each batch and were read back, and `ingest` spent a third of its time in the kernel (scale:
    /// 36 s, 12 s of it system time; with 64 MiB 29 s and 5 s). Readers keep the default: `drift` and `report` read
    /// through them and keep to their memory target.
    static let writerPageCacheKiB = 65536

    private static func openReadWrite(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(writerPageCacheKiB)") }
            db.add(function: Ledger.sha256Function)
            db.add(function: WriteGuard.function)
        }
        do {
            // Two processes opening a file not yet in WAL mode (a new one) both take SQLite's shared lock and then
            // ask for the exclusive one to switch it: SQLite sees the deadlock and fails one of them at once with
            // SQLITE_BUSY, without waiting. Such a file is opened, switched and migrated under the migration lock.
            guard isWALDatabase(path) else {
                return try withMigrationLock(path) {
                    let pool = try DatabasePool(path: path, configuration: configuration)
                    if try !pool.read({ db in try AuditSchema.migrator.hasCompletedMigrations(db) }) { try migrate(pool) }
                    return pool
                }
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            // Two processes migrating one new file at once both create the same tables (`table … already exists`):
            // migrations run under a lock, and the migrator, run again under it, skips what another did first.
            if try !pool.read({ db in try AuditSchema.migrator.hasCompletedMigrations(db) }) {
                try withMigrationLock(path) { try migrate(pool) }
            }
            return pool
        } catch {
            throw StoreError.cannotOpen(path: path, reason: DatabaseFailureText.explain(error) ?? "\(error)")
        }
    }

    /// Whether the file at `path` is an SQLite database in WAL mode: its header's write and read versions (bytes 18
    /// and 19) are 2. False for a missing, empty or rollback-journal file.
    static func isWALDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 20), header.count == 20 else { return false }
        return header.starts(with: Array("SQLite format 3\0".utf8)) && header[header.startIndex + 18] == 2
            && header[header.startIndex + 19] == 2
    }

    /// Runs the pending migrations, then carries the verification checkpoint over them: one that stood before
    /// still stands (only the tool changed the schema), a new file stands verified through its empty chain, and any
    /// other file is verified in full by the next `drift` or `report`.
    private static func migrate(_ pool: DatabasePool) throws {
        let (created, stoodBefore) = try pool.read { db in
            (try AuditSchema.migrator.appliedMigrations(db).isEmpty, try VerificationCheckpoint.standing(db) != nil)
        }
        try AuditSchema.migrator.migrate(pool)
        try pool.write { db in try VerificationCheckpoint.afterMigrating(db, stoodBefore: stoodBefore, created: created) }
    }

    /// Runs `body` holding an exclusive `flock` on `<path>-migrate.lock`, removed again before it is released
    /// (a waiter that locked the removed file sees it is gone and locks the new one). Where no lock file can be
    /// made or locked (a folder that cannot be written, a file system without flock), `body` runs unlocked: the
    /// migrator's own transactions still keep the schema whole, and a lost race fails loudly.
    static func withMigrationLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let lockPath = path + "-migrate.lock"
        while true {
            let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return try body() }
            var result: Int32
            repeat { result = flock(descriptor, LOCK_EX) } while result != 0 && errno == EINTR
            guard result == 0 else {
                close(descriptor)
                return try body()
            }
            var held = stat()
            var current = stat()
            if fstat(descriptor, &held) == 0, stat(lockPath, &current) == 0, held.st_ino == current.st_ino,
                held.st_dev == current.st_dev
            {
                defer {
                    unlink(lockPath)
                    close(descriptor)
                }
                return try body()
            }
            close(descriptor)
        }
    }

    /// A read-only connection: an ordinary one (it sees concurrent writers' commits through the WAL) when SQLite
    /// can use the WAL index, else, for a file in a folder nobody may write, an immutable one.
    private static func openReadOnly(_ path: String) throws -> (queue: DatabaseQueue, immutable: Bool) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            db.add(function: Ledger.sha256Function)
            db.add(function: WriteGuard.function)
            // Reading maps the file instead of copying every page through read(2): `verify` reads the whole chain
            // before each drift and report.
            try db.execute(sql: "PRAGMA mmap_size = 4294967296")
        }
        func attempt(_ location: String) throws -> DatabaseQueue {
            let queue = try DatabaseQueue(path: location, configuration: configuration)
            // Opening is lazy about the WAL: a first read tells whether the file can be read here at all.
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return queue
        }
        do {
            return (try attempt(path), false)
        } catch let first {
            guard !isWritable(path) else {
                throw StoreError.cannotOpen(path: path, reason: DatabaseFailureText.explain(first) ?? "\(first)")
            }
            do {
                return (try attempt(immutableURI(path)), true)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: DatabaseFailureText.explain(error) ?? "\(error)")
            }
        }
    }

    /// `file:<path>?immutable=1`, the path percent-encoded where a URI needs it (SQLite is built with URI names).
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var encoded = ""
        for byte in absolute.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x20, 0x7F...:
                encoded += String(format: "%%%02X", byte)
            default:
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return "file:" + encoded + "?immutable=1"
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// A stored value that no version of the tool writes: the row was edited, or the file is damaged.
    case undecodableRow(table: String, row: String, column: String, value: String)
    /// A command that records tried to write a database opened read-only.
    case readOnly(path: String)
    /// A read-only database written by an older version: it would need migrations this process cannot run.
    case needsUpgrade(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        case .undecodableRow(let table, let row, let column, let value):
            "table \(table), row \(row): column \(column) holds \(value.debugDescription), which this tool never "
                + "writes (the row was edited or the file is damaged); `verify` tells which"
        case .readOnly(let path):
            "the database \(path) is read-only here, and this command records what it does in it. Commands that "
                + "only read (verify, inventory, alerts, drift, snapshot list) work on a read-only copy; copy the "
                + "database to a writable place for the others"
        case .needsUpgrade(let path):
            "the database \(path) was written by an older version of bypass-auditor and needs upgrading, but it is "
                + "read-only: copy it to a writable place and run any command on the copy once"
        }
    }
}
