import Core
import Foundation

/// What the fused line scan already found in a line.
struct LineHint {
    /// Where the time key starts in the line, nil when it is not there.
    var keyOffset: Int?
    /// Whether the line holds every literal of some prefilter group.
    var wanted: Bool
}

/// One run of `AuditLogReader.read`: opens the input, plans it, splits it into records, and hands batches out.
final class ReadSession {
    private let reader: AuditLogReader
    private let file: String
    // The reader's settings as plain constants: the per-line path reads them millions of times.
    private let validating: Bool
    private let maxLineBytes: Int
    private let batchBytes: Int
    private let batchEvents: Int
    private let handle: (ReadBatch) throws -> Void

    @exclusivity(unchecked) private var buffer: InputBuffer!
    @exclusivity(unchecked) private var prefilter: CompiledPrefilter
    @exclusivity(unchecked) private var dayScanner = RecordDayScanner(key: .creationTime, csvQuoted: false)
    private var interpreter = RecordInterpreter(kind: .managementRecord, csvHeader: nil)
    private var recordNoun = "line"
    /// NDJSON: every record is one JSON object on its own line, so one that does not end in `}` is broken.
    private var recordsAreObjectLines = false

    // The batch being filled.
    private var events: [LocatedEvent] = []
    private var errors: [ReadError] = []
    private var coverage: [UTCDay: Int] = [:]
    @exclusivity(unchecked) private var records = 0
    @exclusivity(unchecked) private var batchStart: ReadPosition
    private var batchesSent = 0
    /// Coverage of the current run of same-day records, added to `coverage` when the day changes.
    @exclusivity(unchecked) private var runDay: UTCDay?
    @exclusivity(unchecked) private var runCount = 0
    /// The last record boundary passed.
    @exclusivity(unchecked) private var lastBoundary: ReadPosition
    /// Records starting before this offset were read by an earlier run (a resumed read that has to scan from the
    /// start: compressed input, standard input, whole JSON documents) and are passed over.
    private var replayUntil = 0
    /// The line a broken stream stopped inside, if it did.
    private var endProblemLine: Int?
    /// An unfinished final line held back: where it starts, and its number.
    private var heldBack: (start: ReadPosition, line: Int)?
    /// A tail read (`TailRead`) counts lines from the split; this is the head's line count, once known, for the
    /// messages that spell a line number out (the batches' line numbers are moved by `TailRead`).
    var lineShift = 0

    init(reader: AuditLogReader, start: ReadPosition, handle: @escaping (ReadBatch) throws -> Void) {
        self.reader = reader
        self.file = reader.source.displayName
        validating = reader.mode == .validate
        maxLineBytes = reader.maxLineBytes
        batchBytes = reader.batchBytes
        batchEvents = reader.batchEvents
        self.handle = handle
        prefilter = CompiledPrefilter(reader.prefilter)
        batchStart = start
        lastBoundary = start
    }

    func run() throws -> LogFormat {
        let position = batchStart
        let file = try FileStream(source: reader.source)
        let isGzip: Bool
        do {
            isGzip = try file.peek(2) == GzipStream.magic
        } catch {
            throw ReadError(file: self.file, line: 0, reason: "cannot read: \(error.detail)")
        }
        buffer = InputBuffer(stream: isGzip ? GzipStream(source: file) : file)
        buffer.fill(atLeast: ReadPlan.sniffBytes)
        let plan = try ReadPlan.detect(
            prefix: buffer.bytes(from: buffer.baseOffset, to: buffer.endOffset), inputEnded: buffer.atEnd,
            override: reader.format, file: self.file)
        configure(for: plan)

        // Where splitting starts: at the resume position when the input allows jumping there, otherwise at the
        // content start with everything before the resume position passed over.
        var start = plan.contentStart
        var linesBefore = plan.linesBeforeContent
        if Int(clamping: position.offset) > plan.contentStart {
            let offset = Int(clamping: position.offset)
            let jumpable: Bool
            switch plan.layout {
            case .lines, .csv: jumpable = !isGzip && (offset <= buffer.endOffset || file.isRegularFile)
            case .documents, .empty: jumpable = false
            }
            if jumpable {
                if offset > buffer.endOffset {
                    guard file.seek(to: UInt64(offset)) else {
                        throw ReadError(file: self.file, line: position.line, reason: "cannot seek to offset \(offset)")
                    }
                    buffer.reset(at: offset)
                }
                start = offset
                linesBefore = position.line
            } else {
                replayUntil = offset
            }
        }

        switch plan.layout {
        case .lines:
            if !validating, replayUntil == 0, !isGzip, buffer.isMapped,
                let split = splitPoint(of: file, from: start)
            {
                // A large plain file: the second half is read on another core meanwhile (`TailRead`).
                let tail = TailRead(reader: reader, plan: plan, from: split)
                defer { tail.cancelAndWait() }
                buffer.stop(at: split)
                let headLines = try splitLines(start: start, linesBefore: linesBefore)
                try finish(linesScanned: headLines)
                try tail.handOut(headLines: headLines, to: handle)
            } else {
                try finish(linesScanned: splitLines(start: start, linesBefore: linesBefore))
            }
        case .empty:
            try finish(linesScanned: splitLines(start: start, linesBefore: linesBefore))
        case .csv:
            var splitter = CSVRowSplitter(start: start, linesBefore: linesBefore)
            try split(&splitter)
        case .documents(let target):
            var splitter = DocumentSplitter(target: target, start: start, linesBefore: linesBefore)
            try split(&splitter)
        }
        return plan.format
    }

    /// Where to cut `[start, end of file)` for a `TailRead`: the start of the first line at or after its middle; nil
    /// when the rest of the file is too small to be worth a second thread, there is no second core, or no line starts
    /// after the middle.
    private func splitPoint(of file: FileStream, from start: Int) -> Int? {
        guard let size = file.size.map({ Int(clamping: $0) }), size - start >= reader.splitMinimumBytes,
            ProcessInfo.processInfo.activeProcessorCount >= 2
        else { return nil }
        let middle = start + (size - start) / 2
        guard let lineStart = file.lineStart(atOrAfter: middle, before: size), lineStart > start, lineStart < size else {
            return nil
        }
        return lineStart
    }

    /// A `TailRead`'s half: reads `[offset, end of file)` as planned by the head, counting lines from the split, and
    /// returns the line count without cutting the final batch (`finish`, once the head's line count is known).
    func readTail(plan: ReadPlan, from offset: Int) throws -> Int {
        let file = try FileStream(source: reader.source)
        buffer = InputBuffer(stream: file)
        buffer.reset(at: offset)
        configure(for: plan)
        return try splitLines(start: offset, linesBefore: 0)
    }

    private func configure(for plan: ReadPlan) {
        switch plan.layout {
        case .csv(let header):
            interpreter = RecordInterpreter(kind: .managementRecord, csvHeader: header)
            dayScanner = RecordDayScanner(key: .creationTime, csvQuoted: true)
            recordNoun = "CSV row"
        case .lines, .documents, .empty:
            interpreter = RecordInterpreter(kind: plan.kind, csvHeader: nil)
            dayScanner = RecordDayScanner(key: plan.kind == .ecsDocument ? .ecsTimestamp : .creationTime, csvQuoted: false)
            if case .documents = plan.layout { recordNoun = "record" }
            if case .lines = plan.layout { recordsAreObjectLines = true }
        }
    }

    // MARK: - The record loop

    /// CSV rows and JSON documents: records from a `RecordSplitter`.
    private func split<Splitter: RecordSplitter>(_ splitter: inout Splitter) throws {
        loop: while true {
            switch splitter.next(in: buffer) {
            case .record(let span):
                try accept(span, hint: nil)
            case .needMore(let keepFrom):
                if buffer.endOffset - keepFrom > maxLineBytes {
                    splitter.discardCurrentRecord()
                    buffer.refill(keepingFrom: buffer.endOffset)
                } else {
                    buffer.refill(keepingFrom: keepFrom)
                }
            case .problem(let offset, let line, let reason):
                guard offset >= replayUntil else { continue }
                if buffer.failure != nil {
                    endProblemLine = endProblemLine ?? line
                } else {
                    errors.append(ReadError(file: file, line: line, reason: reason))
                }
            case .finished:
                break loop
            }
        }
        try finish(linesScanned: splitter.linesScanned)
    }

    /// How much of the window one line scan covers: a part of the CPU's second-level cache.
    static let scanStretchBytes = 256 << 10

    /// NDJSON: lines, with the time key and prefilter literals found in the same pass (`LineScanner`). Returns the
    /// number of lines scanned (for `finish`).
    private func splitLines(start: Int, linesBefore: Int) throws -> Int {
        // Every byte against the time key and the prefilter's few cover needles; only the lines they flag are searched
        // for the groups' literals.
        let scanner = LineScanner(needles: [dayScanner.key] + prefilter.coverNeedles)
        // The `\u` marker is the last cover needle: the scan tells which lines hold one (bit 0 is the time key).
        let escapeNeedle = prefilter.coverNeedles.count
        let escapeBit: UInt64 = escapeNeedle < scanner.needleCount ? 1 << UInt64(escapeNeedle) : 0
        // Local references for the per-line path: reaching them through `self` each time costs retains.
        let buffer: InputBuffer = self.buffer
        let prefilter = self.prefilter
        var dayScanner = self.dayScanner
        var cursor = start
        var lines = linesBefore
        /// The line being dropped for its length, while it streams past.
        var discardedLine: Int?
        while true {
            if let line = discardedLine {
                let end = buffer.endOffset
                if cursor < end, let newline = memchr(buffer.pointer(at: cursor), 0x0A, end - cursor) {
                    let offset = cursor + UnsafeRawPointer(buffer.pointer(at: cursor)).distance(to: UnsafeRawPointer(newline))
                    lines += 1
                    try accept(
                        RecordSpan(start: offset, contentEnd: offset, end: offset + 1, line: line, linesBeforeEnd: lines, discarded: true),
                        hint: nil)
                    cursor = offset + 1
                    discardedLine = nil
                    continue
                }
                if buffer.atEnd {
                    try accept(
                        RecordSpan(start: end, contentEnd: end, end: end, line: line, linesBeforeEnd: lines, discarded: true),
                        hint: nil)
                    cursor = end
                    break
                }
                cursor = end
                buffer.refill(keepingFrom: end)
                continue
            }
            let available = buffer.endOffset - cursor
            if available > 0 {
                // One cache-sized stretch at a time: every line found is read again at once (its time, its last byte,
                // a flagged line's literals), and then from the CPU cache rather than from memory.
                var length = min(available, Self.scanStretchBytes)
                var scan = scanner.scan(buffer.pointer(at: cursor), length: length)
                if scan.lines.isEmpty, length < available {
                    // A line longer than the stretch.
                    length = available
                    scan = scanner.scan(buffer.pointer(at: cursor), length: length)
                }
                var lineStart = cursor
                for found in scan.lines {
                    let newline = cursor + found.end
                    var contentEnd = newline
                    if contentEnd > lineStart, buffer.pointer(at: contentEnd - 1).pointee == 0x0D { contentEnd -= 1 }
                    lines += 1
                    // size_t's SIZE_MAX ("not in this line") arrives in Swift as -1.
                    let keyOffset = found.first_needle_at < 0 ? nil : cursor + found.first_needle_at - lineStart
                    let wanted = prefilter.matches(
                        flagged: found.needles_found != 0, mayHoldEscapes: escapeBit == 0 || found.needles_found & escapeBit != 0,
                        line: buffer.bytes(from: lineStart, to: contentEnd))
                    // The usual line: a whole object with no literal of interest, time readable. Count it and move on.
                    if lineStart >= replayUntil, let keyOffset, !validating, contentEnd - lineStart <= maxLineBytes,
                        Self.endsLikeAnObject(buffer, lineStart, contentEnd),
                        !wanted,
                        let day = dayScanner.day(in: buffer.bytes(from: lineStart, to: contentEnd), keyAt: keyOffset)
                    {
                        count(day)
                        lastBoundary = ReadPosition(offset: UInt64(newline + 1), line: lines)
                        if newline + 1 - Int(batchStart.offset) >= batchBytes { try flush(end: lastBoundary) }
                        lineStart = newline + 1
                        continue
                    }
                    try accept(
                        RecordSpan(
                            start: lineStart, contentEnd: contentEnd, end: newline + 1, line: lines, linesBeforeEnd: lines,
                            discarded: false),
                        hint: LineHint(keyOffset: keyOffset, wanted: wanted))
                    lineStart = newline + 1
                }
                cursor += scan.consumed
                if scan.lines.count == scanner.capacity || length < available { continue }
            }
            // What is left in the window is the start of an unfinished line.
            if buffer.atEnd {
                let end = buffer.endOffset
                if cursor < end, reader.holdsBackUnfinishedLine, buffer.failure == nil, cursor >= replayUntil,
                    !isWholeJSON(from: cursor, to: end)
                {
                    // A writer is still appending this line: read it next time, whole.
                    heldBack = (ReadPosition(offset: UInt64(cursor), line: lines), lines + 1)
                    break
                }
                if cursor < end {
                    var contentEnd = end
                    if buffer.pointer(at: end - 1).pointee == 0x0D { contentEnd -= 1 }
                    try accept(
                        RecordSpan(start: cursor, contentEnd: contentEnd, end: end, line: lines + 1, linesBeforeEnd: lines, discarded: false),
                        hint: nil)
                    cursor = end
                }
                break
            }
            if buffer.endOffset - cursor > maxLineBytes {
                discardedLine = lines + 1
                cursor = buffer.endOffset
                buffer.refill(keepingFrom: cursor)
            } else {
                buffer.refill(keepingFrom: cursor)
            }
        }
        return lines
    }

    /// Takes one record: passes over replayed ones, holds back one the stream broke inside, processes the rest, and
    /// hands out a batch when enough input is behind it.
    @inline(__always)
    private func accept(_ span: RecordSpan, hint: LineHint?) throws {
        if span.start < replayUntil { return }
        if buffer.failure != nil, span.end == buffer.endOffset, !endsWithLineBreak(span) {
            // The stream broke inside this record: its bytes are incomplete.
            endProblemLine = span.line
            return
        }
        process(span, hint: hint)
        lastBoundary = ReadPosition(offset: UInt64(span.end), line: span.linesBeforeEnd)
        if span.end - Int(batchStart.offset) >= batchBytes || events.count >= batchEvents {
            try flush(end: lastBoundary)
        }
    }

    /// After the last record: reports a broken stream, and hands out the final batch (always at least one batch).
    func finish(linesScanned: Int) throws {
        let end: ReadPosition
        if let failure = buffer.failure {
            let what: String
            switch failure.kind {
            case .truncated: what = "gzip data is truncated (\(failure.detail))"
            case .corrupt: what = "gzip data is corrupt (\(failure.detail))"
            case .readFailed: what = "reading failed (\(failure.detail))"
            }
            if let line = endProblemLine {
                errors.append(
                    ReadError(
                        file: file, line: line,
                        reason: "\(what): the input stops inside line \(line + lineShift); that record is skipped"))
            } else {
                let line = lastBoundary.line
                errors.append(ReadError(file: file, line: line + 1, reason: "\(what): the input stops after line \(line + lineShift)"))
            }
            end = lastBoundary
        } else if let heldBack {
            end = heldBack.start
        } else if UInt64(buffer.endOffset) >= batchStart.offset {
            end = ReadPosition(offset: UInt64(buffer.endOffset), line: linesScanned)
        } else {
            end = batchStart
        }
        if batchesSent == 0 || end != batchStart || records > 0 || !errors.isEmpty || !events.isEmpty || heldBack != nil {
            try flush(end: end)
        }
    }

    /// Whether the bytes hold one complete JSON value (or only blanks): an unfinished line never does.
    private func isWholeJSON(from start: Int, to end: Int) -> Bool {
        let bytes = buffer.bytes(from: start, to: end)
        if isBlank(bytes) { return true }
        return (try? JSONParser.parse(bytes)) != nil
    }

    private func endsWithLineBreak(_ span: RecordSpan) -> Bool {
        span.end > span.start && span.end - 1 >= buffer.baseOffset && buffer.pointer(at: span.end - 1).pointee == 0x0A
    }

    @inline(__always)
    private func process(_ span: RecordSpan, hint: LineHint?) {
        if span.discarded || span.contentEnd - span.start > maxLineBytes {
            errors.append(
                ReadError(
                    file: file, line: span.line,
                    reason: "\(recordNoun) is longer than the \(maxLineBytes)-byte limit; skipped"))
            return
        }
        let bytes = buffer.bytes(from: span.start, to: span.contentEnd)
        if isBlank(bytes) { return }
        let day: UTCDay?
        let wanted: Bool
        if let hint {
            day = hint.keyOffset.flatMap { dayScanner.day(in: bytes, keyAt: $0) }
            wanted = validating || hint.wanted
        } else {
            day = dayScanner.day(in: bytes)
            wanted = validating || prefilter.matches(start: span.start, end: span.contentEnd, in: buffer)
        }
        // A line cut short (it does not end in `}`) is parsed whatever the prefilter says, so it is reported.
        guard wanted || day == nil || (recordsAreObjectLines && !Self.endsLikeAnObject(buffer, span.start, span.contentEnd)) else {
            count(day!)
            return
        }
        switch interpreter.event(from: bytes) {
        case .success(let event):
            guard let eventDay = day ?? event.timestamp.map(UTCDay.init(containing:)) else { return }
            count(eventDay)
            if wanted { events.append(LocatedEvent(event: event, line: span.line)) }
        case .failure(let failure):
            errors.append(ReadError(file: file, line: span.line + failure.lineOffset, reason: failure.reason))
        }
    }

    /// Whether the line's last byte other than blanks is `}`: a cheap test that catches a record cut short (a writer
    /// stopped mid-line, a truncated copy) without parsing the good ones.
    @inline(__always)
    private static func endsLikeAnObject(_ buffer: InputBuffer, _ start: Int, _ end: Int) -> Bool {
        var index = end - 1
        while index >= start {
            switch buffer.pointer(at: index).pointee {
            case 0x20, 0x09, 0x0D: index -= 1
            case UInt8(ascii: "}"): return true
            default: return false
            }
        }
        return false
    }

    @inline(__always)
    private func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes {
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0A: continue
            default: return false
            }
        }
        return true
    }

    @inline(__always)
    private func count(_ day: UTCDay) {
        records += 1
        if day == runDay {
            runCount += 1
            return
        }
        if let runDay { coverage[runDay, default: 0] += runCount }
        runDay = day
        runCount = 1
    }

    private func flush(end: ReadPosition) throws {
        if let runDay { coverage[runDay, default: 0] += runCount }
        runDay = nil
        runCount = 0
        var batch = ReadBatch(
            events: events, errors: errors, coverage: coverage, records: records,
            bytes: end.offset >= batchStart.offset ? end.offset - batchStart.offset : 0, end: end)
        if let heldBack, end == heldBack.start { batch.heldBackLine = heldBack.line }
        events.removeAll(keepingCapacity: true)
        errors.removeAll()
        coverage.removeAll(keepingCapacity: true)
        records = 0
        batchStart = end
        batchesSent += 1
        try handle(batch)
    }
}
