/// Streams the records out of whole JSON documents: the elements of a top-level array (a Management API content
/// blob), the hits of an Elasticsearch `_search` response (`hits.hits[]`), or JSON values written one after another
/// (pretty-printed records). Several documents may follow each other (saved scroll pages).
///
/// Hand-written because no available JSON reader streams: they all need the whole document in memory, and a content
/// blob or a saved search can be far larger than the memory cap. This is only a structural scanner — it tracks
/// strings, nesting and the keys on the way to the target array, and hands each element's bytes to the real parser.
/// Its state at any offset depends only on the bytes before it, so a read can resume mid-document by scanning again
/// from the start without emitting (see `AuditLogReader`).
struct DocumentSplitter: RecordSplitter {
    enum Target: Sendable, Equatable {
        /// Every top-level JSON value is a record.
        case topLevelValues
        /// The elements of the array reached through `path` from each top-level object (a top-level array is taken
        /// as that array; a top-level object when `path` is empty is itself one record).
        case arrayElements(path: [String])
    }

    private struct Frame {
        var isObject: Bool
        var isTarget: Bool
        var pathIndex: Int
        var expectingKey: Bool
        var keyMatches: Bool
    }

    private enum Mode {
        case structure
        /// Inside a value that is not on the way to the target (depth of open brackets).
        case skipping(depth: Int)
        /// Inside an object or array record.
        case element(depth: Int)
        /// Inside a scalar record (a string or number where a record was expected).
        case scalarElement
    }

    private let target: Target
    private let path: [[UInt8]]
    private var cursor: Int
    private var lines: Int
    private var mode = Mode.structure
    private var stack: [Frame] = []
    private var inString = false
    private var escaped = false
    private var capturingKey = false
    private var key: [UInt8] = []
    private var elementStart = 0
    private var elementLine = 0
    private var discarding = false
    private var sawContent = false
    private var sawTarget = false
    private var reportedEnd = false

    init(target: Target, start: Int, linesBefore: Int) {
        self.target = target
        if case .arrayElements(let keys) = target {
            path = keys.map { Array($0.utf8) }
        } else {
            path = []
        }
        cursor = start
        lines = linesBefore
    }

    mutating func discardCurrentRecord() {
        discarding = true
    }

    var linesScanned: Int { lines }

    mutating func next(in buffer: InputBuffer) -> SplitStep {
        let end = buffer.endOffset
        if cursor < end {
            let base = buffer.pointer(at: cursor)
            let startCursor = cursor
            var index = 0
            let count = end - cursor
            while index < count {
                let byte = base[index]
                let position = startCursor + index
                if inString {
                    index += 1
                    if byte == 0x0A { lines += 1 }
                    if escaped {
                        escaped = false
                        if capturingKey, key.count <= 64 { key.append(byte) }
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                        if capturingKey, key.count <= 64 { key.append(byte) }
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if capturingKey { finishKey() }
                    } else if capturingKey, key.count <= 64 {
                        key.append(byte)
                    }
                    continue
                }
                switch mode {
                case .element(let depth):
                    index += 1
                    switch byte {
                    case 0x0A: lines += 1
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): mode = .element(depth: depth + 1)
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 1 {
                            mode = .structure
                            cursor = position + 1
                            return .record(finishElement(at: position + 1))
                        }
                        mode = .element(depth: depth - 1)
                    default: break
                    }
                case .skipping(let depth):
                    index += 1
                    switch byte {
                    case 0x0A: lines += 1
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): mode = .skipping(depth: depth + 1)
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): mode = depth == 1 ? .structure : .skipping(depth: depth - 1)
                    default: break
                    }
                case .scalarElement:
                    switch byte {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: " "), 0x09, 0x0A, 0x0D:
                        // The delimiter is not part of the record; structure mode reads it next.
                        mode = .structure
                        cursor = position
                        return .record(finishElement(at: position))
                    case UInt8(ascii: "\""):
                        inString = true
                    default:
                        break
                    }
                    index += 1
                case .structure:
                    index += 1
                    structural(byte, at: position)
                }
            }
            cursor = end
        }
        guard buffer.atEnd else {
            switch mode {
            case .element, .scalarElement: return .needMore(keepFrom: discarding ? end : elementStart)
            case .structure, .skipping: return .needMore(keepFrom: end)
            }
        }
        return finish(at: end)
    }

    // MARK: - Structure outside records

    private mutating func structural(_ byte: UInt8, at position: Int) {
        switch byte {
        case 0x0A:
            lines += 1
        case UInt8(ascii: " "), 0x09, 0x0D, UInt8(ascii: ":"):
            break
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            openValue(byte, at: position)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if !stack.isEmpty { stack.removeLast() }
        case UInt8(ascii: ","):
            if let last = stack.indices.last, stack[last].isObject {
                stack[last].expectingKey = true
                stack[last].keyMatches = false
            }
        case UInt8(ascii: "\""):
            if let last = stack.indices.last, stack[last].isObject, stack[last].expectingKey {
                stack[last].expectingKey = false
                capturingKey = true
                key.removeAll(keepingCapacity: true)
                inString = true
            } else if stack.last?.isTarget == true || stack.isEmpty {
                beginElement(at: position, scalar: true)
                inString = true
            } else {
                inString = true
            }
        default:
            // The first byte of a number or literal.
            if stack.last?.isTarget == true || stack.isEmpty { beginElement(at: position, scalar: true) }
        }
    }

    private mutating func openValue(_ byte: UInt8, at position: Int) {
        let isArray = byte == UInt8(ascii: "[")
        guard let context = stack.last else {
            sawContent = true
            switch target {
            case .topLevelValues:
                beginElement(at: position, scalar: false)
            case .arrayElements(let keys):
                if isArray {
                    stack.append(Frame(isObject: false, isTarget: true, pathIndex: 0, expectingKey: false, keyMatches: false))
                    sawTarget = true
                } else if keys.isEmpty {
                    beginElement(at: position, scalar: false)
                } else {
                    stack.append(Frame(isObject: true, isTarget: false, pathIndex: 0, expectingKey: true, keyMatches: false))
                }
            }
            return
        }
        if context.isTarget {
            beginElement(at: position, scalar: false)
            return
        }
        guard context.isObject, context.keyMatches else {
            mode = .skipping(depth: 1)
            return
        }
        if context.pathIndex == path.count - 1 {
            if isArray {
                stack.append(Frame(isObject: false, isTarget: true, pathIndex: 0, expectingKey: false, keyMatches: false))
                sawTarget = true
            } else {
                mode = .skipping(depth: 1)
            }
        } else if !isArray {
            stack.append(
                Frame(isObject: true, isTarget: false, pathIndex: context.pathIndex + 1, expectingKey: true, keyMatches: false))
        } else {
            mode = .skipping(depth: 1)
        }
    }

    private mutating func finishKey() {
        capturingKey = false
        guard let last = stack.indices.last else { return }
        let index = stack[last].pathIndex
        stack[last].keyMatches = index < path.count && key == path[index]
    }

    private mutating func beginElement(at position: Int, scalar: Bool) {
        sawContent = true
        elementStart = position
        elementLine = lines + 1
        discarding = false
        mode = scalar ? .scalarElement : .element(depth: 1)
    }

    private mutating func finishElement(at end: Int) -> RecordSpan {
        let span = RecordSpan(
            start: elementStart, contentEnd: end, end: end, line: elementLine, linesBeforeEnd: lines,
            discarded: discarding)
        discarding = false
        return span
    }

    // MARK: - End of input

    private mutating func finish(at end: Int) -> SplitStep {
        switch mode {
        case .scalarElement where !inString:
            mode = .structure
            return .record(finishElement(at: end))
        case .element, .scalarElement:
            mode = .structure
            inString = false
            reportedEnd = true
            return .problem(
                offset: elementStart, line: elementLine,
                reason: "the input ends inside this record (truncated JSON); the record is skipped")
        case .structure, .skipping:
            break
        }
        guard !reportedEnd else { return .finished }
        reportedEnd = true
        if sawContent, case .arrayElements(let keys) = target, !keys.isEmpty, !sawTarget {
            return .problem(
                offset: end, line: max(lines, 1),
                reason: "found no \(keys.joined(separator: ".")) array of records in this document")
        }
        if !stack.isEmpty || inString || { if case .skipping = mode { return true } else { return false } }() {
            return .problem(offset: end, line: max(lines, 1), reason: "the document is truncated (it ends before its closing bracket)")
        }
        return .finished
    }
}
