import Foundation
import GRDB
import Testing

@testable import Core
@testable import Store

/// `AuditDatabase.readConcurrently` reads two things at once and must still hand back one state of the database,
/// even when another connection commits while the two reads start.
@Suite struct ConcurrentReadTests {
    private static func event(_ id: String) -> AuditEvent {
        AuditEvent(fields: [
            "event.id": .string(id), "event.action": .string(ECSField.bypassCmdlet), "event.outcome": .string("success"),
            "organization.id": .string("tenant-a"), "@timestamp": .string("2026-10-05T07:10:00.000Z"),
            "o365.audit.Parameters.Identity": .string("svc-\(id)"),
            "o365.audit.Parameters.AuditBypassEnabled": .string("True"),
        ])
    }

    private static func eventCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? -1
    }

    @Test("both reads see what one transaction sees")
    func sameAsOneTransaction() throws {
        let database = try StoreTestDatabase.make()
        try database.write { db in for index in 0..<3 { try EventStore.insert(db, Self.event("e\(index)")) } }
        let (first, second) = try database.readConcurrently(Self.eventCount, { db in try Ledger.head(db) })
        #expect(first == 3)
        #expect(second == (try database.read { db in try Ledger.head(db) }))
    }

    /// Counts events in both reads while another connection (a writer of the same file, as a `watch` beside the
    /// run would be) commits one event after the second read took its state and before the first takes its own, on
    /// each attempt in `splitAttempts`. Returns both counts and how many attempts were made.
    private static func countsSplit(onAttempts splitAttempts: Set<Int>, eventsBefore: Int) throws
        -> (first: Int, second: Int, attempts: Int)
    {
        let database = try StoreTestDatabase.make()
        try database.write { db in for index in 0..<eventsBefore { try EventStore.insert(db, Self.event("before-\(index)")) } }
        let other = try AuditDatabase(path: database.path)
        let secondHasRead = DispatchSemaphore(value: 0)
        let attempts = Counter()
        let (first, second) = try database.readConcurrently(
            Self.eventCount,
            { db in
                defer { secondHasRead.signal() }
                return try Self.eventCount(db)
            },
            beforeFirst: {
                secondHasRead.wait()
                let attempt = attempts.increment()
                guard splitAttempts.contains(attempt) else { return }
                try other.write { db in try EventStore.insert(db, Self.event("between-\(attempt)")) }
            })
        return (first, second, attempts.value)
    }

    @Test("a commit by another connection between the two reads never splits the pair: it is read again")
    func commitBetweenTheReadsIsReadAgain() throws {
        let counts = try Self.countsSplit(onAttempts: [1], eventsBefore: 1)
        #expect(counts.attempts == 2, "the split pair was read again")
        #expect(counts.first == 2 && counts.second == 2, "both values come from the state after the commit")
    }

    @Test("a pair split by commits on every attempt is read in one transaction")
    func splitEveryTimeFallsBackToOneTransaction() throws {
        let counts = try Self.countsSplit(onAttempts: [1, 2], eventsBefore: 0)
        #expect(counts.attempts == 2)
        #expect(counts.first == 2 && counts.second == 2, "one transaction after both commits")
    }

    @Test("a read-only database reads both in one transaction")
    func readOnlyDatabase() throws {
        let database = try StoreTestDatabase.make()
        try database.write { db in try EventStore.insert(db, Self.event("only")) }
        let readOnly = try AuditDatabase(path: database.path, access: .readOnly)
        let (first, second) = try readOnly.readConcurrently(Self.eventCount, { db in try Self.eventCount(db) })
        #expect(first == 1 && second == 1)
    }

    @Test("an error of either read is thrown")
    func errorsAreThrown() throws {
        let database = try StoreTestDatabase.make()
        #expect(throws: DatabaseError.self) {
            _ = try database.readConcurrently(Self.eventCount, { db in try Int.fetchOne(db, sql: "SELECT * FROM missing") })
        }
        #expect(throws: DatabaseError.self) {
            _ = try database.readConcurrently({ db in try Int.fetchOne(db, sql: "SELECT * FROM missing") }, Self.eventCount)
        }
    }

    @Test("the work after the second read runs off the calling thread once that read ended, and may write")
    func workAfterTheSecondRead() throws {
        let database = try StoreTestDatabase.make()
        try database.write { db in try EventStore.insert(db, Self.event("first")) }
        let caller = pthread_self()
        let secondReads = Counter()
        let (first, second, after) = try database.readConcurrently(
            Self.eventCount,
            { db in
                defer { _ = secondReads.increment() }
                return try Self.eventCount(db)
            },
            thenOnSecondThread: { () -> (thread: pthread_t, secondReadsDone: Int) in
                // Inside the second read's transaction, GRDB would refuse this write (no reentrancy).
                try database.write { db in try EventStore.insert(db, Self.event("after")) }
                return (pthread_self(), secondReads.value)
            })
        #expect(first == second, "both reads saw one state")
        #expect(pthread_equal(after.thread, caller) == 0, "beside the first read, not after it")
        #expect(after.secondReadsDone == 1, "after the second read")
        #expect(try database.read(Self.eventCount) == 2, "its write committed")
    }

    @Test("the work after runs once even when the pair is read again")
    func workAfterRunsOnce() throws {
        let database = try StoreTestDatabase.make()
        let other = try AuditDatabase(path: database.path)
        let secondHasRead = DispatchSemaphore(value: 0)
        let attempts = Counter()
        let runs = Counter()
        let (first, second, _) = try database.readConcurrently(
            Self.eventCount,
            { db in
                defer { secondHasRead.signal() }
                return try Self.eventCount(db)
            },
            thenOnSecondThread: { _ = runs.increment() },
            beforeFirst: {
                secondHasRead.wait()
                if attempts.increment() == 1 { try other.write { db in try EventStore.insert(db, Self.event("between")) } }
            })
        #expect(attempts.value == 2, "the split pair was read again")
        #expect(first == 1 && second == 1)
        #expect(runs.value == 1)
    }

    private struct Failure: Error, Equatable {}

    @Test("the work after runs when a read fails; a read's error comes first, then the work's own")
    func workAfterAndErrors() throws {
        let database = try StoreTestDatabase.make()
        let runs = Counter()
        #expect(throws: DatabaseError.self) {
            _ = try database.readConcurrently(
                Self.eventCount, { db in try Int.fetchOne(db, sql: "SELECT * FROM missing") },
                thenOnSecondThread: { () throws -> Int in
                    _ = runs.increment()
                    throw Failure()
                })
        }
        #expect(runs.value == 1, "it ran although the read before it failed")
        #expect(throws: Failure.self) {
            _ = try database.readConcurrently(
                Self.eventCount, Self.eventCount, thenOnSecondThread: { () throws -> Int in throw Failure() })
        }
        let readOnly = try AuditDatabase(path: database.path, access: .readOnly)
        let (first, second, after) = try readOnly.readConcurrently(Self.eventCount, Self.eventCount) { "after" }
        #expect(first == 0 && second == 0 && after == "after", "one connection: both reads, then the work")
    }

    @Test("what the second read hands over reaches the first from the same state, on two connections and on one")
    func handOverReachesTheFirstRead() throws {
        let database = try StoreTestDatabase.make()
        try database.write { db in for index in 0..<2 { try EventStore.insert(db, Self.event("e\(index)")) } }
        let readOnly = try AuditDatabase(path: database.path, access: .readOnly)
        for reader in [database, readOnly] {
            let (first, second, _) = try reader.readConcurrently(
                { db, early in (mine: try Self.eventCount(db), handed: try early()) },
                { db, handOver in
                    handOver(try Self.eventCount(db))
                    return "went on"
                },
                thenOnSecondThread: {})
            #expect(first.mine == 2 && first.handed == 2)
            #expect(second == "went on")
        }
    }

    @Test("a pair read again hands over again, from the new state")
    func handOverIsReadAgainWithThePair() throws {
        let database = try StoreTestDatabase.make()
        let other = try AuditDatabase(path: database.path)
        let secondHasRead = DispatchSemaphore(value: 0)
        let attempts = Counter()
        let (first, _, _) = try database.readConcurrently(
            { db, early in (mine: try Self.eventCount(db), handed: try early()) },
            { db, handOver in
                defer { secondHasRead.signal() }
                handOver(try Self.eventCount(db))
            },
            thenOnSecondThread: {},
            beforeFirst: {
                secondHasRead.wait()
                if attempts.increment() == 1 { try other.write { db in try EventStore.insert(db, Self.event("between")) } }
            })
        #expect(attempts.value == 2)
        #expect(first.mine == 1 && first.handed == 1, "both parts from the state after the commit")
    }

    @Test("a second read that fails, or ends without handing over, fails the first read's request instead of hanging it")
    func handOverFailures() throws {
        let database = try StoreTestDatabase.make()
        let readOnly = try AuditDatabase(path: database.path, access: .readOnly)
        for reader in [database, readOnly] {
            #expect(throws: Failure.self) {
                _ = try reader.readConcurrently(
                    { db, early in try early() }, { (_, _: (Int) -> Void) throws -> Int in throw Failure() },
                    thenOnSecondThread: {})
            }
            #expect(throws: AuditDatabase.NothingHandedOver.self) {
                _ = try reader.readConcurrently(
                    { db, early in try early() }, { (_, _: (Int) -> Void) in 0 }, thenOnSecondThread: {})
            }
        }
    }
}

/// A count the two reads' threads share.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func increment() -> Int { lock.withLock { count += 1; return count } }
}
