import Foundation
import Testing

@testable import Core

@Suite struct ConcurrentlyTests {
    private struct Failure: Error, Equatable {
        var name: String
    }

    @Test("both results come back, the second computed on another thread")
    func bothResults() throws {
        let (first, second) = try Concurrently.both(
            { () throws -> (Int, pthread_t) in (6 * 7, pthread_self()) }, { () throws -> pthread_t in pthread_self() })
        #expect(first.0 == 42)
        #expect(pthread_equal(first.1, second) == 0, "the second ran on another thread")
    }

    @Test("when both fail, the first's error is thrown whichever finished first")
    func firstErrorWins() {
        #expect(throws: Failure(name: "first")) {
            _ = try Concurrently.both({ () throws -> Int in throw Failure(name: "first") }, {
                () throws -> Int in throw Failure(name: "second")
            })
        }
        #expect(throws: Failure(name: "second")) {
            _ = try Concurrently.both({ 1 }, { () throws -> Int in throw Failure(name: "second") })
        }
    }

    @Test("work that cannot fail comes back without try, the second on another thread")
    func bothWithoutFailure() {
        let (first, second) = Concurrently.both({ (6 * 7, pthread_self()) }, { pthread_self() })
        #expect(first.0 == 42)
        #expect(pthread_equal(first.1, second) == 0, "the second ran on another thread")
    }
}
