import Foundation

/// The second half of a large plain NDJSON file, read on a second thread while the caller's thread reads the first.
///
/// Scanning a page-cached file is bound by one core's speed, so a large file is cut in two on a line boundary and
/// both halves are scanned at once. The halves' batches still reach the caller in file order and are the same whatever
/// the threads' timing: the tail's batches are cut at the same offsets as they would be on their own (its batching
/// starts at the split), wait in a queue until the head is done, and only then are handed out, with their line
/// numbers moved on by the head's line count (the tail counts its lines from the split, since nobody knows the head's
/// count until the head is read). The queue is bounded, so a tail full of wanted records waits instead of piling up
/// events in memory.
final class TailRead: @unchecked Sendable {
    // @unchecked: `session` and `linesScanned` belong to the tail thread until `finished` is set under `condition`,
    // then to the caller's thread; the queue and flags are only touched under `condition`.
    private let session: ReadSession
    private let condition = NSCondition()
    private var queue: [ReadBatch] = []
    private var queuedEvents = 0
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private var linesScanned = 0

    /// How many events may wait in the queue while the head is still being read (a few MiB of parsed events).
    static let queuedEventLimit = 2048

    struct Cancelled: Error {}

    /// Starts reading `[offset, end of file)` of `reader`'s input, planned as `plan`, on a new thread.
    init(reader: AuditLogReader, plan: ReadPlan, from offset: Int) {
        nonisolated(unsafe) var enqueue: ((ReadBatch) throws -> Void)?
        session = ReadSession(reader: reader, start: ReadPosition(offset: UInt64(offset), line: 0)) { try enqueue?($0) }
        enqueue = { [unowned self] batch in try self.enqueue(batch) }
        let thread = Thread { [self] in
            let result = Result { try session.readTail(plan: plan, from: offset) }
            condition.lock()
            switch result {
            case .success(let lines): linesScanned = lines
            case .failure(let error): failure = error
            }
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        // The parser recurses into nested JSON: give the thread the main thread's usual stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Called on the tail thread for each batch: waits while the queue is full (the head is still being read).
    private func enqueue(_ batch: ReadBatch) throws {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled, !queue.isEmpty, queuedEvents + batch.events.count > Self.queuedEventLimit {
            condition.wait()
        }
        if cancelled { throw Cancelled() }
        queue.append(batch)
        queuedEvents += batch.events.count
        condition.broadcast()
    }

    /// After the head is read and handed out (`headLines` lines before the split): hands out the tail's batches in
    /// order, then its final batch, each with line numbers counted from the file's start.
    func handOut(headLines: Int, to handle: (ReadBatch) throws -> Void) throws {
        while let batch = try nextBatch() {
            try handle(batch.movingLines(by: headLines))
        }
        // The tail thread has ended: its session is this thread's now, and its final batch can be cut.
        session.lineShift = headLines
        try session.finish(linesScanned: linesScanned)
        while let batch = try nextBatch() {
            try handle(batch.movingLines(by: headLines))
        }
    }

    /// The next queued batch; nil once the tail thread has ended and the queue is empty. Rethrows the tail's error.
    private func nextBatch() throws -> ReadBatch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !finished { condition.wait() }
        if queue.isEmpty {
            if let failure {
                self.failure = nil
                throw failure
            }
            return nil
        }
        let batch = queue.removeFirst()
        queuedEvents -= batch.events.count
        condition.broadcast()
        return batch
    }

    /// Stops the tail thread (at its next batch) and waits for it to end, so nothing outlives the read.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

extension ReadBatch {
    /// The batch with every line number moved on by `count` (a tail read counts its lines from the split).
    func movingLines(by count: Int) -> ReadBatch {
        var moved = self
        for index in moved.events.indices { moved.events[index].line += count }
        for index in moved.errors.indices { moved.errors[index].line += count }
        moved.end.line += count
        moved.heldBackLine = heldBackLine.map { $0 + count }
        return moved
    }
}
