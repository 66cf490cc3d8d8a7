import Foundation

/// A value one thread gives another part-way through its work, for work split across two threads where one needs
/// the other's first result before both are done (drift reads part of the changes on each thread and puts them together
/// on one). The receiver waits until the value, or the giver's error, is given; the first word given stands.
public final class HandOver<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Value, any Error>?

    public init() {}

    /// Gives the value or the error that stands for it; ignored once something was given.
    public func give(_ result: Result<Value, any Error>) {
        condition.withLock {
            guard self.result == nil else { return }
            self.result = result
            condition.broadcast()
        }
    }

    /// The value if it has been given, without waiting; nil while nothing is given, or when an error was. For a
    /// receiver that can do without it (and does the work another way) rather than wait.
    public func valueIfGiven() -> Value? {
        condition.withLock { try? result?.get() }
    }

    /// Waits for what is given and returns the value, or throws the error given instead.
    public func receive() throws -> Value {
        try condition.withLock {
            while result == nil { condition.wait() }
            return try result!.get()
        }
    }
}
