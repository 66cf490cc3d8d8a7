import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM into a request to stop, observed at cycle boundaries.
///
/// The default handlers are replaced (ignored) while this object listens, so a signal never kills the process in
/// the middle of a database write; a dispatch source records it instead and wakes any `wait`. State is guarded by a
/// lock: the signal source runs on its own queue.
public final class TerminationSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var receivedSignal: Int32?
    private let wakeUp = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []
    private let signals: [Int32]

    public init(signals: [Int32] = [SIGINT, SIGTERM], queue: DispatchQueue = DispatchQueue(label: "bypass-auditor.signals")) {
        self.signals = signals
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.record(number) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        stopListening()
    }

    /// The first signal received, if any.
    public var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return receivedSignal
    }

    /// Waits up to `seconds` for a signal. Returns the signal (at once if one already arrived), or nil on timeout.
    @discardableResult
    public func wait(upTo seconds: TimeInterval) -> Int32? {
        if let received { return received }
        _ = wakeUp.wait(timeout: .now() + max(0, seconds))
        return received
    }

    /// Stops listening and restores the default handlers.
    public func stopListening() {
        lock.lock()
        let active = sources
        sources.removeAll()
        lock.unlock()
        guard !active.isEmpty else { return }
        for source in active { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }

    private func record(_ number: Int32) {
        lock.lock()
        if receivedSignal == nil { receivedSignal = number }
        lock.unlock()
        wakeUp.signal()
    }
}
