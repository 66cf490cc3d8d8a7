import Foundation

/// Where one record sits in the (decompressed) stream.
struct RecordSpan: Sendable, Equatable {
    /// Offset of the record's first byte.
    var start: Int
    /// End of the record's bytes (line terminator excluded).
    var contentEnd: Int
    /// After the terminator: where the next record starts, and where a resumed read may begin.
    var end: Int
    /// The 1-based line the record starts on.
    var line: Int
    /// Lines before `end` (the resume position's line count).
    var linesBeforeEnd: Int
    /// The record outgrew the size cap, so its bytes were not kept.
    var discarded: Bool
}

/// What a splitter found next.
enum SplitStep {
    case record(RecordSpan)
    /// The window ends inside a record: keep the bytes from `keepFrom` and read more.
    case needMore(keepFrom: Int)
    /// Something wrong outside any record (a truncated or damaged document envelope).
    case problem(offset: Int, line: Int, reason: String)
    case finished
}

/// Finds record boundaries in the stream, one format's way (CSV rows, JSON document elements; NDJSON lines go through
/// the faster `LineScanner`).
protocol RecordSplitter {
    mutating func next(in buffer: InputBuffer) -> SplitStep
    /// The unfinished record is over the size cap: stop keeping its bytes and report it `discarded` when it ends.
    mutating func discardCurrentRecord()
    /// Line breaks seen before the scan position (at the end of input: all of them).
    var linesScanned: Int { get }
}

/// RFC 4180 CSV rows: a row ends at a line end outside quotes, so a quoted field may span lines (the row's line is
/// the one it starts on). Quote parity is all that is needed to find the end; fields are split later.
struct CSVRowSplitter: RecordSplitter {
    private var cursor: Int
    private var scanFrom: Int
    private var lines: Int
    private var rowNewlines = 0
    private var inQuotes = false
    private var discarding = false

    init(start: Int, linesBefore: Int) {
        cursor = start
        scanFrom = start
        lines = linesBefore
    }

    var linesScanned: Int { lines + rowNewlines }

    mutating func next(in buffer: InputBuffer) -> SplitStep {
        let end = buffer.endOffset
        if scanFrom < end {
            let base = buffer.pointer(at: scanFrom)
            let count = end - scanFrom
            var index = 0
            while index < count {
                let byte = base[index]
                if byte == UInt8(ascii: "\"") {
                    inQuotes.toggle()
                } else if byte == 0x0A {
                    if inQuotes {
                        rowNewlines += 1
                    } else {
                        let newline = scanFrom + index
                        var contentEnd = newline
                        if !discarding, contentEnd > cursor, buffer.pointer(at: contentEnd - 1).pointee == 0x0D {
                            contentEnd -= 1
                        }
                        let line = lines + 1
                        lines += rowNewlines + 1
                        let span = RecordSpan(
                            start: cursor, contentEnd: contentEnd, end: newline + 1, line: line, linesBeforeEnd: lines,
                            discarded: discarding)
                        cursor = newline + 1
                        scanFrom = cursor
                        rowNewlines = 0
                        discarding = false
                        return .record(span)
                    }
                }
                index += 1
            }
            scanFrom = end
        }
        guard buffer.atEnd else { return .needMore(keepFrom: discarding ? end : cursor) }
        guard cursor < end else { return .finished }
        var contentEnd = end
        if !discarding, !inQuotes, buffer.pointer(at: contentEnd - 1).pointee == 0x0D { contentEnd -= 1 }
        let span = RecordSpan(
            start: cursor, contentEnd: contentEnd, end: end, line: lines + 1, linesBeforeEnd: lines + rowNewlines,
            discarded: discarding)
        lines += rowNewlines
        cursor = end
        scanFrom = end
        discarding = false
        return .record(span)
    }

    mutating func discardCurrentRecord() {
        discarding = true
    }
}
