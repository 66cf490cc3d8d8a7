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
        let (one, two, _) = try readConcurrently(first, second, thenOnSecondThread: {}, beforeFirst: beforeFirst)
        return (one, two)
    }

    /// `readConcurrently`, and then, on the second thread once `second`'s transaction has ended, `afterSecond`:
    /// work that runs beside the first read but outside any read transaction (drift parses and records its register,
    /// a write). It takes the second thread's idle time: as a third thread it took a share of two cores from the
    /// first read, which is the longest part of a drift run.
    ///
    /// `afterSecond` runs exactly once, whether the reads succeed or not (as it would beside them on a thread of
    /// its own). Errors: `first`'s, then `second`'s, then `afterSecond`'s. A commit by `afterSecond` itself can
    /// only split the pair when the first read has not started by then, and is then read again like any other.
    public func readConcurrently<First, Second: Sendable, After: Sendable>(
        _ first: (Database) throws -> First, _ second: @escaping @Sendable (Database) throws -> Second,
        thenOnSecondThread afterSecond: @escaping @Sendable () throws -> After
    ) throws -> (First, Second, After) {
        try readConcurrently(first, second, thenOnSecondThread: afterSecond, beforeFirst: {})
    }

    func readConcurrently<First, Second: Sendable, After: Sendable>(
        _ first: (Database) throws -> First, _ second: @escaping @Sendable (Database) throws -> Second,
        thenOnSecondThread afterSecond: @escaping @Sendable () throws -> After, beforeFirst: () throws -> Void
    ) throws -> (First, Second, After) {
        guard let pool = connection as? DatabasePool else {
            let reads = Result { try read { db in (try first(db), try second(db)) } }
            let after = Result { try afterSecond() }
            let (one, two) = try reads.get()
            return (one, two, try after.get())
        }
        func readFirst() throws -> (value: First, ledgerHead: String) {
            try beforeFirst()
            return try pool.read { db in (value: try first(db), ledgerHead: try Ledger.head(db)) }
        }
        @Sendable func readSecond() throws -> HeadedValue<Second> {
            try pool.read { db in HeadedValue(value: try second(db), ledgerHead: try Ledger.head(db)) }
        }
        let (one, (secondRead, after)) = try Concurrently.both(readFirst) {
            (Result { try readSecond() }, Result { try afterSecond() })
        }
        let two = try secondRead.get()
        let afterValue = try after.get()
        if one.ledgerHead == two.ledgerHead { return (one.value, two.value, afterValue) }
        for _ in 1..<Self.concurrentReadAttempts {
            let (one, two) = try Concurrently.both(readFirst, readSecond)
            if one.ledgerHead == two.ledgerHead { return (one.value, two.value, afterValue) }
        }
        let (oneValue, twoValue) = try read { db in (try first(db), try second(db)) }
        return (oneValue, twoValue, afterValue)
    }

    /// How often `readConcurrently` tries two transactions before it settles for one.
    private static let concurrentReadAttempts = 2

    /// The second read's value with the ledger head it saw (a named type: it crosses threads, so it must be `Sendable`).
    private struct HeadedValue<Value: Sendable>: Sendable {
        var value: Value
        var ledgerHead: String
    }
}
