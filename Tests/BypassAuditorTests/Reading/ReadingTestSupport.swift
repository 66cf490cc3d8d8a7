import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reading

/// Everything one read produced, batches merged.
struct ReadOutcome {
    var format: LogFormat
    var batches: [ReadBatch]

    var events: [LocatedEvent] { batches.flatMap(\.events) }
    var errors: [ReadError] { batches.flatMap(\.errors) }
    var records: Int { batches.reduce(0) { $0 + $1.records } }
    var bytes: UInt64 { batches.reduce(0) { $0 + $1.bytes } }
    var end: ReadPosition { batches.last?.end ?? .start }
    var coverage: [UTCDay: Int] {
        batches.reduce(into: [:]) { total, batch in total.merge(batch.coverage, uniquingKeysWith: +) }
    }
    var ids: [String] { events.compactMap(\.event.id) }

    func event(_ id: String) -> AuditEvent? { events.first { $0.event.id == id }?.event }
}

enum ReadingFixtures {
    static func path(_ name: String) -> String { TestPaths.fixture("Reading/\(name)").path }

    static func read(
        _ path: String, format: LogFormat? = nil, prefilter: LinePrefilter = .everything, mode: ReadMode = .fast,
        from position: ReadPosition = .start, maxLineBytes: Int = AuditLogReader.defaultMaxLineBytes,
        batchBytes: Int = 8 << 20, batchEvents: Int = .max, holdsBackUnfinishedLine: Bool = false,
        splitMinimumBytes: Int = AuditLogReader.defaultSplitMinimumBytes
    ) throws -> ReadOutcome {
        var reader = AuditLogReader(
            source: InputSource(path: path), format: format, prefilter: prefilter, mode: mode,
            maxLineBytes: maxLineBytes, batchBytes: batchBytes, batchEvents: batchEvents,
            holdsBackUnfinishedLine: holdsBackUnfinishedLine)
        reader.splitMinimumBytes = splitMinimumBytes
        var batches: [ReadBatch] = []
        let format = try reader.read(from: position) { batches.append($0) }
        return ReadOutcome(format: format, batches: batches)
    }

    /// A file with `content` in a fresh temporary folder.
    static func write(_ content: String, name: String = "input.ndjson") throws -> String {
        try write(Data(content.utf8), name: name)
    }

    static func write(_ content: Data, name: String) throws -> String {
        let url = try TestPaths.temporaryDirectory().appendingPathComponent(name)
        try content.write(to: url)
        return url.path
    }

    /// Gzips a file with the system's gzip (only the tests use it; the reader inflates through zlib itself).
    static func gzip(_ path: String, level: Int = 6) throws -> String {
        let output = path + ".gz"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -\(level) -c \"$0\" > \"$1\"", path, output]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return output
    }

    static func string(_ event: AuditEvent?, _ field: String) -> String? { event?.string(field) }
}

extension FieldValue {
    static func strings(_ values: String...) -> FieldValue { .list(values.map(FieldValue.string)) }
}
