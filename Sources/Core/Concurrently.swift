import Foundation

/// Runs two independent pieces of work at the same time and hands back both results, for the few places where a
/// command waits on two things that do not depend on each other (reading a month of alerts beside the inventory,
/// parsing the register beside the database read): on a machine with two cores that is the difference between
/// their sum and the longer of the two.
///
/// Hand-written over Dispatch because the commands are synchronous (`ParsableCommand.run`), where `async let`
/// cannot be used without bridging a whole command into Swift concurrency.
public enum Concurrently {
    /// `first` on the calling thread and `second` on another, returning when both have finished. When both throw,
    /// `first`'s error is the one thrown, so the error a user sees does not depend on which finished first.
    public static func both<First, Second: Sendable>(
        _ first: () throws -> First, _ second: @escaping @Sendable () throws -> Second
    ) throws -> (First, Second) {
        let (firstResult, secondResult) = both({ Result { try first() } }, { Result { try second() } })
        return (try firstResult.get(), try secondResult.get())
    }

    /// `both`, for work that cannot fail.
    public static func both<First, Second: Sendable>(
        _ first: () -> First, _ second: @escaping @Sendable () -> Second
    ) -> (First, Second) {
        let secondResult = ResultSlot<Second>()
        let done = DispatchGroup()
        done.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            secondResult.set(.success(second()))
            done.leave()
        }
        let firstValue = first()
        done.wait()
        guard case .success(let secondValue) = secondResult.take() else { preconditionFailure("set only to a value") }
        return (firstValue, secondValue)
    }
}

/// One result, written by the thread that computed it and read after a `DispatchGroup` wait: the lock makes the
/// hand-over visible to the reader (the group's wait alone says nothing to the compiler's checker).
public final class ResultSlot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    public init() {}

    public func set(_ result: Result<Value, any Error>) {
        lock.withLock { self.result = result }
    }

    /// The result; only called after the writer finished (a missing one is a programming error).
    public func take() -> Result<Value, any Error> {
        lock.withLock {
            guard let result else { preconditionFailure("ResultSlot read before it was set") }
            return result
        }
    }
}
