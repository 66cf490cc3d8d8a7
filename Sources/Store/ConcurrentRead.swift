import Core
import Foundation
import GRDB

extension AuditDatabase {
    /// Runs `first` on the calling thread and `second` on another at the same time, each in a read transaction of
    /// its own connection, and returns both once they saw the same committed state of the database: what
    /// `read { db in (first(db), second(db)) }` returns, in the time of the longer of the two rather than their sum
    /// (drift and report read a month of alerts beside the inventory: 200,000 of each at scale).
    ///
    /// Two transactions started a moment apart can see different states when a writer (a `watch` or `ingest`
    /// beside the run, or this run recording its register) commits between them. Every fact drift and report judge
    /// is chained in the ledger in the transaction that writes it, so each read also takes the ledger's head; when
    /// the heads differ the pair is read again, at last in one transaction. A read-only database (one connection)
    /// reads in one transaction.
    ///
    /// `first` stays on the calling thread on purpose: what it allocates and frees (the inventory's working copy of
    /// every change) is then reused by the work that follows on that thread, where another thread's allocator
    /// arena would keep it, and a run's peak memory, for nothing.
    public func readConcurrently<First, Second: Sendable>(
        _ first: (Database) throws -> First, _ second: @escaping @Sendable (Database) throws -> Second
    ) throws -> (First, Second) {
        try readConcurrently(first, second, beforeFirst: {})
    }

    /// `readConcurrently`, calling `beforeFirst` on the calling thread before `first`'s read begins, while `second`
    /// runs: the moment a commit splits the pair, which tests provoke here.
    func readConcurrently<First, Second: Sendable>(
        _ first: (Database) throws -> First, _ second: @escaping @Sendable (Database) throws -> Second,
        beforeFirst: () throws -> Void
    ) throws -> (First, Second) {
        guard let pool = connection as? DatabasePool else { return try read { db in (try first(db), try second(db)) } }
        for _ in 0..<Self.concurrentReadAttempts {
            let (one, two) = try Concurrently.both(
                {
                    try beforeFirst()
                    return try pool.read { db in (value: try first(db), ledgerHead: try Ledger.head(db)) }
                },
                { try pool.read { db in HeadedValue(value: try second(db), ledgerHead: try Ledger.head(db)) } })
            if one.ledgerHead == two.ledgerHead { return (one.value, two.value) }
        }
        return try read { db in (try first(db), try second(db)) }
    }

    /// How often `readConcurrently` tries two transactions before it settles for one.
    private static let concurrentReadAttempts = 2

    /// The second read's value with the ledger head it saw (a named type: it crosses threads, so it must be `Sendable`).
    private struct HeadedValue<Value: Sendable>: Sendable {
        var value: Value
        var ledgerHead: String
    }
}
