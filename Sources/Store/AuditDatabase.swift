import Foundation
import GRDB

/// The tool's SQLite database: every stored event, checkpoint, snapshot, alert, register version and report run.
///
/// A WAL-mode pool, so that readers (`report`, `inventory`) never wait for a long `ingest`, and writers wait for each
/// other (busy timeout) instead of failing: ingest commits in short batches so no writer holds the lock for long.
public final class AuditDatabase: Sendable {
    public let path: String
    public let pool: DatabasePool

    /// The default location, `./bypass-auditor.sqlite`.
    public static let defaultPath = "bypass-auditor.sqlite"

    /// Opens (creating when absent) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try AuditSchema.migrator.migrate(pool)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: DatabaseFailureText.explain(error) ?? "\(error)")
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    @discardableResult
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.write(body)
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// A stored value that no version of the tool writes: the row was edited, or the file is damaged.
    case undecodableRow(table: String, row: String, column: String, value: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        case .undecodableRow(let table, let row, let column, let value):
            "table \(table), row \(row): column \(column) holds \(value.debugDescription), which this tool never "
                + "writes (the row was edited or the file is damaged); `verify` tells which"
        }
    }
}
