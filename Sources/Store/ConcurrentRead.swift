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
        try readConcurrently(
            { db, _ in try first(db) },
            { db, handOver in
                handOver(())
                return try second(db)
            },
            thenOnSecondThread: afterSecond, beforeFirst: beforeFirst)
    }

    /// `readConcurrently`, where `second` hands part of its read over to `first` early (`handOver`, once, before it
    /// goes on), and `first` waits for it only when it asks (`early`): both parts come from the one state the pair
    /// sees. Drift reads part of a month's changes on each thread and puts the inventory together on the first
    /// while the second goes on with the alerts.
    ///
    /// When the pair is read in one transaction (a read-only database, or a pair split by commits), `second` runs
    /// first, so what it hands over is there when `first` asks. If `second` fails before handing over, `first`'s
    /// request throws its error.
    public func readConcurrently<First, Early: Sendable, Second: Sendable, After: Sendable>(
        _ first: (Database, _ early: () throws -> Early) throws -> First,
        _ second: @escaping @Sendable (Database, _ handOver: (Early) -> Void) throws -> Second,
        thenOnSecondThread afterSecond: @escaping @Sendable () throws -> After
    ) throws -> (First, Second, After) {
        try readConcurrently(first, second, thenOnSecondThread: afterSecond, beforeFirst: {})
    }

    func readConcurrently<First, Early: Sendable, Second: Sendable, After: Sendable>(
        _ first: (Database, _ early: () throws -> Early) throws -> First,
        _ second: @escaping @Sendable (Database, _ handOver: (Early) -> Void) throws -> Second,
        thenOnSecondThread afterSecond: @escaping @Sendable () throws -> After, beforeFirst: () throws -> Void
    ) throws -> (First, Second, After) {
        func inOneTransaction() throws -> (First, Second) {
            try read { db in
                let handOver = HandOver<Early>()
                let two = Result { try Self.settling(handOver) { try second(db) { handOver.give(.success($0)) } } }
                let one = try first(db, handOver.receive)
                return (one, try two.get())
            }
        }
        guard let pool = connection as? DatabasePool else {
            let reads = Result { try inOneTransaction() }
            let after = Result { try afterSecond() }
            let (one, two) = try reads.get()
            return (one, two, try after.get())
        }
        // One hand-over per attempt: a pair read again hands over again.
        func readFirst(_ handOver: HandOver<Early>) throws -> (value: First, ledgerHead: String) {
            try beforeFirst()
            return try pool.read { db in (value: try first(db, handOver.receive), ledgerHead: try Ledger.head(db)) }
        }
        @Sendable func readSecond(_ handOver: HandOver<Early>) throws -> HeadedValue<Second> {
            try Self.settling(handOver) {
                try pool.read { db in
                    HeadedValue(
                        value: try second(db) { handOver.give(.success($0)) }, ledgerHead: try Ledger.head(db))
                }
            }
        }
        let handOver = HandOver<Early>()
        let (one, (secondRead, after)) = try Concurrently.both({ try readFirst(handOver) }) {
            (Result { try readSecond(handOver) }, Result { try afterSecond() })
        }
        let two = try secondRead.get()
        let afterValue = try after.get()
        if one.ledgerHead == two.ledgerHead { return (one.value, two.value, afterValue) }
        for _ in 1..<Self.concurrentReadAttempts {
            let handOver = HandOver<Early>()
            let (one, two) = try Concurrently.both({ try readFirst(handOver) }, { try readSecond(handOver) })
            if one.ledgerHead == two.ledgerHead { return (one.value, two.value, afterValue) }
        }
        let (oneValue, twoValue) = try inOneTransaction()
        return (oneValue, twoValue, afterValue)
    }

    /// Runs `body`, the second read, making sure `handOver` is given something however it ends (the first read may be
    /// waiting on it): its error, or, when it handed nothing over, an error saying so.
    private static func settling<Early, Value>(_ handOver: HandOver<Early>, _ body: () throws -> Value) throws -> Value {
        do {
            let value = try body()
            handOver.give(.failure(NothingHandedOver()))
            return value
        } catch {
            handOver.give(.failure(error))
            throw error
        }
    }

    /// The second read of `readConcurrently` ended without handing anything over: a programming error in its caller.
    struct NothingHandedOver: Error, CustomStringConvertible {
        var description: String { "the second read ended without handing over what the first read waits for" }
    }

    /// How often `readConcurrently` tries two transactions before it settles for one.
    private static let concurrentReadAttempts = 2

    /// The second read's value with the ledger head it saw (a named type: it crosses threads, so it must be `Sendable`).
    private struct HeadedValue<Value: Sendable>: Sendable {
        var value: Value
        var ledgerHead: String
    }
}
