import CSupport
import Foundation

/// How one input is taken apart: decided from its first bytes, or from the `format` override.
struct ReadPlan: Sendable, Equatable {
    enum Layout: Sendable, Equatable {
        /// One record per line (NDJSON).
        case lines
        /// CSV rows after the header.
        case csv(PurviewCSVHeader)
        /// Records streamed out of whole JSON documents.
        case documents(DocumentSplitter.Target)
        /// Nothing but blanks.
        case empty
    }

    enum RecordKind: Sendable, Equatable {
        /// Raw Management Activity API records (also the AuditData of CSV rows).
        case managementRecord
        /// ECS documents (possibly wrapped as search hits / export lines with `_source`).
        case ecsDocument
    }

    var format: LogFormat
    var layout: Layout
    var kind: RecordKind
    /// The first byte after a UTF-8 byte-order mark and, for CSV, the header.
    var contentStart: Int
    /// Lines before `contentStart`.
    var linesBeforeContent: Int

    /// How many bytes detection wants to see.
    static let sniffBytes = 64 << 10

    /// Decides the plan from the input's first bytes. Throws only when the format cannot be told (or the override
    /// cannot apply, e.g. CSV without an AuditData column).
    static func detect(prefix: UnsafeRawBufferPointer, inputEnded: Bool, override: LogFormat?, file: String) throws(ReadError)
        -> ReadPlan
    {
        let bytes = prefix.bindMemory(to: UInt8.self)
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var first = bom
        while first < bytes.count, isBlank(bytes[first]) { first += 1 }

        if override == .purviewCSV { return try csvPlan(bytes, from: bom, inputEnded: inputEnded, file: file) }
        guard first < bytes.count else {
            return ReadPlan(
                format: override ?? .managementAPI, layout: inputEnded ? .empty : .lines,
                kind: override == .ecsNDJSON || override == .ecsSearchResponse ? .ecsDocument : .managementRecord,
                contentStart: bom, linesBeforeContent: 0)
        }
        let sample = UnsafeRawBufferPointer(rebasing: prefix[first...])
        let opening = bytes[first]
        if override == .ecsSearchResponse {
            return ReadPlan(
                format: .ecsSearchResponse, layout: .documents(.arrayElements(path: ["hits", "hits"])), kind: .ecsDocument,
                contentStart: bom, linesBeforeContent: 0)
        }
        if opening == UInt8(ascii: "[") {
            let kind = try recordKind(override: override, sample: sample, file: file) ?? .managementRecord
            return ReadPlan(
                format: override ?? (kind == .ecsDocument ? .ecsSearchResponse : .managementAPI),
                layout: .documents(.arrayElements(path: [])), kind: kind, contentStart: bom, linesBeforeContent: 0)
        }
        if opening == UInt8(ascii: "{") {
            if override == nil, looksLikeSearchResponse(sample) {
                return ReadPlan(
                    format: .ecsSearchResponse, layout: .documents(.arrayElements(path: ["hits", "hits"])),
                    kind: .ecsDocument, contentStart: bom, linesBeforeContent: 0)
            }
            let lineEnd = memchr(sample.baseAddress!, 0x0A, sample.count).map { sample.baseAddress!.distance(to: $0) }
            let firstLine = UnsafeRawBufferPointer(rebasing: sample[..<(lineEnd ?? sample.count)])
            // A first line that does not complete its value is either a pretty-printed document or one broken NDJSON
            // line; a later line that is a whole object on its own says NDJSON, so the broken line costs only itself.
            let wholeLine = completesValue(firstLine) ? firstLine : firstWholeObjectLine(in: sample)
            let spansLines = lineEnd != nil && wholeLine == nil
            guard let kind = try recordKind(override: override, sample: wholeLine ?? sample, file: file) else {
                throw ReadError(
                    file: file, line: 1,
                    reason: "cannot tell the format: the JSON has neither CreationTime (Management API record) nor "
                        + "@timestamp (ECS document); use --format")
            }
            return ReadPlan(
                format: kind == .ecsDocument ? .ecsNDJSON : .managementAPI,
                layout: spansLines ? .documents(.topLevelValues) : .lines, kind: kind, contentStart: bom,
                linesBeforeContent: 0)
        }
        if let override {
            // Forced JSON format on something that does not start like JSON: read it line by line and let each
            // line's error say what is wrong.
            return ReadPlan(
                format: override, layout: .lines, kind: override == .managementAPI ? .managementRecord : .ecsDocument,
                contentStart: bom, linesBeforeContent: 0)
        }
        do {
            return try csvPlan(bytes, from: bom, inputEnded: inputEnded, file: file)
        } catch {
            // Not CSV: NDJSON whose first line is garbage still has its good lines read (each bad line reported).
            guard let wholeLine = firstWholeObjectLine(in: sample),
                let kind = try recordKind(override: nil, sample: wholeLine, file: file)
            else { throw error }
            return ReadPlan(
                format: kind == .ecsDocument ? .ecsNDJSON : .managementAPI, layout: .lines, kind: kind,
                contentStart: bom, linesBeforeContent: 0)
        }
    }

    /// The first line of `sample` (a whole line, ended by a newline) that is a complete JSON object by itself.
    private static func firstWholeObjectLine(in sample: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var start = 0
        while start < sample.count {
            let rest = UnsafeRawBufferPointer(rebasing: sample[start...])
            guard let newline = memchr(rest.baseAddress!, 0x0A, rest.count) else { return nil }
            let end = start + rest.baseAddress!.distance(to: newline)
            var first = start
            while first < end, isBlank(sample[first]) { first += 1 }
            let line = UnsafeRawBufferPointer(rebasing: sample[first..<end])
            if first < end, sample[first] == UInt8(ascii: "{"), completesValue(line) { return line }
            start = end + 1
        }
        return nil
    }

    // MARK: - CSV

    private static func csvPlan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, inputEnded: Bool, file: String)
        throws(ReadError) -> ReadPlan
    {
        var lineStart = start
        var line = 1
        while true {
            guard lineStart < bytes.count else {
                throw ReadError(file: file, line: line, reason: "cannot tell the format: no CSV header line")
            }
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            guard lineEnd < bytes.count || inputEnded else {
                throw ReadError(file: file, line: line, reason: "cannot tell the format: the first line is over 64 KiB")
            }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let text = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[lineStart..<contentEnd]))
            let next = min(lineEnd + 1, bytes.count)
            // PowerShell's Export-Csv writes a `#TYPE …` line first unless told not to; blank lines are skipped too.
            if text.starts(with: Array("#TYPE".utf8)) || text.allSatisfy(isBlank) {
                lineStart = next
                line += 1
                continue
            }
            let fields = try? CSVRow.fields(of: text)
            guard let fields, let header = PurviewCSVHeader(fields: fields) else {
                throw ReadError(
                    file: file, line: line,
                    reason: "cannot tell the format: not JSON, and not a Purview CSV export (no AuditData column "
                        + "in the header)")
            }
            return ReadPlan(format: .purviewCSV, layout: .csv(header), kind: .managementRecord, contentStart: next, linesBeforeContent: line)
        }
    }

    // MARK: - Sniffing

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func contains(_ sample: UnsafeRawBufferPointer, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { pattern in
            csupport_memmem(sample.baseAddress, sample.count, pattern.baseAddress, pattern.count) != nil
        }
    }

    private static func recordKind(override: LogFormat?, sample: UnsafeRawBufferPointer, file: String) throws(ReadError)
        -> RecordKind?
    {
        switch override {
        case .managementAPI: return .managementRecord
        case .ecsNDJSON, .ecsSearchResponse: return .ecsDocument
        case .purviewCSV: return nil
        case nil: break
        }
        if contains(sample, "\"@timestamp\"") || contains(sample, "\"_source\"") { return .ecsDocument }
        if contains(sample, "\"CreationTime\"") || contains(sample, "\"RecordType\"") { return .managementRecord }
        if contains(sample, "\"event\"") || contains(sample, "\"event.") || contains(sample, "\"o365") { return .ecsDocument }
        return nil
    }

    /// An Elasticsearch `_search` (or scroll) response envelope.
    private static func looksLikeSearchResponse(_ sample: UnsafeRawBufferPointer) -> Bool {
        contains(sample, "\"hits\"")
            && (contains(sample, "\"_shards\"") || contains(sample, "\"timed_out\"") || contains(sample, "\"took\"")
                || contains(sample, "\"_scroll_id\""))
    }

    /// Whether the line holds a complete JSON value (its brackets balance), i.e. the input is NDJSON.
    private static func completesValue(_ line: UnsafeRawBufferPointer) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in line {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return true }
            default: break
            }
        }
        return false
    }
}
