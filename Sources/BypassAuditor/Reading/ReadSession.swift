import Foundation

/// One run of `AuditLogReader.read`: opens the input, plans it, splits it into records, and hands batches out.
final class ReadSession {
    private let reader: AuditLogReader
    private let file: String
    private let handle: (ReadBatch) throws -> Void

    private var buffer: InputBuffer!
    private var prefilter: CompiledPrefilter
    private var dayScanner = RecordDayScanner(key: .creationTime, csvQuoted: false)
    private var interpreter = RecordInterpreter(kind: .managementRecord, csvHeader: nil)
    private var recordNoun = "line"

    // The batch being filled.
    private var events: [LocatedEvent] = []
    private var errors: [ReadError] = []
    private var coverage: [UTCDay: Int] = [:]
    private var records = 0
    private var batchStart: ReadPosition
    private var batchesSent = 0
    /// Coverage of the current run of same-day records, added to `coverage` when the day changes.
    private var runDay: UTCDay?
    private var runCount = 0
    /// The last record boundary passed.
    private var lastBoundary: ReadPosition
    /// Records starting before this offset were read by an earlier run (a resumed read that has to scan from the
    /// start: compressed input, standard input, whole JSON documents) and are passed over.
    private var replayUntil = 0

    init(reader: AuditLogReader, start: ReadPosition, handle: @escaping (ReadBatch) throws -> Void) {
        self.reader = reader
        self.file = reader.source.displayName
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
            var splitter = LineSplitter(start: start, linesBefore: linesBefore)
            try split(&splitter)
        case .csv:
            var splitter = CSVRowSplitter(start: start, linesBefore: linesBefore)
            try split(&splitter)
        case .documents(let target):
            var splitter = DocumentSplitter(target: target, start: start, linesBefore: linesBefore)
            try split(&splitter)
        case .empty:
            var splitter = LineSplitter(start: start, linesBefore: linesBefore)
            try split(&splitter)
        }
        return plan.format
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
        }
    }

    // MARK: - The record loop

    private func split<Splitter: RecordSplitter>(_ splitter: inout Splitter) throws {
        var endProblemLine: Int?
        loop: while true {
            switch splitter.next(in: buffer) {
            case .record(let span):
                if span.start < replayUntil { continue }
                if buffer.failure != nil, span.end == buffer.endOffset, !endsWithLineBreak(span) {
                    // The stream broke inside this record: its bytes are incomplete.
                    endProblemLine = span.line
                    continue
                }
                process(span)
                lastBoundary = ReadPosition(offset: UInt64(span.end), line: span.linesBeforeEnd)
                if span.end - Int(batchStart.offset) >= reader.batchBytes {
                    try flush(end: lastBoundary)
                }
            case .needMore(let keepFrom):
                if buffer.endOffset - keepFrom > reader.maxLineBytes {
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
                    ReadError(file: file, line: line, reason: "\(what): the input stops inside line \(line); that record is skipped"))
            } else {
                let line = lastBoundary.line
                errors.append(ReadError(file: file, line: line + 1, reason: "\(what): the input stops after line \(line)"))
            }
            end = lastBoundary
        } else if UInt64(buffer.endOffset) >= batchStart.offset {
            end = ReadPosition(offset: UInt64(buffer.endOffset), line: splitter.linesScanned)
        } else {
            end = batchStart
        }
        if batchesSent == 0 || end != batchStart || records > 0 || !errors.isEmpty || !events.isEmpty {
            try flush(end: end)
        }
    }

    private func endsWithLineBreak(_ span: RecordSpan) -> Bool {
        span.end > span.start && buffer.pointer(at: span.end - 1).pointee == 0x0A
    }

    @inline(__always)
    private func process(_ span: RecordSpan) {
        if span.discarded || span.contentEnd - span.start > reader.maxLineBytes {
            errors.append(
                ReadError(
                    file: file, line: span.line,
                    reason: "\(recordNoun) is longer than the \(reader.maxLineBytes)-byte limit; skipped"))
            return
        }
        let bytes = buffer.bytes(from: span.start, to: span.contentEnd)
        if isBlank(bytes) { return }
        let day = dayScanner.day(in: bytes)
        let wanted = reader.mode == .validate || prefilter.matches(start: span.start, end: span.contentEnd, in: buffer)
        guard wanted || day == nil else {
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
        let batch = ReadBatch(
            events: events, errors: errors, coverage: coverage, records: records,
            bytes: end.offset >= batchStart.offset ? end.offset - batchStart.offset : 0, end: end)
        events.removeAll(keepingCapacity: true)
        errors.removeAll()
        coverage.removeAll(keepingCapacity: true)
        records = 0
        batchStart = end
        batchesSent += 1
        try handle(batch)
    }
}
