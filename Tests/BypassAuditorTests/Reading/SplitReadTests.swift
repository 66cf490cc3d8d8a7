import Foundation
import Testing

@testable import Core
@testable import Reading

/// A large plain NDJSON file is read in two halves at once (`TailRead`): the halves' batches must add up to exactly
/// what one sequential read gives — the same events on the same lines, the same errors, records, coverage and end —
/// wherever the middle falls.
@Suite struct SplitReadTests {
    /// Splits every file, however small (the real threshold is tens of MiB).
    static let always = 1
    static let never = Int.max
    static let bypass = LinePrefilter(literalGroups: [["Set-MailboxAuditBypassAssociation"]])

    /// Reads `path` both ways and checks they agree; returns the split read.
    @discardableResult
    static func expectSameAsSequential(
        _ path: String, prefilter: LinePrefilter = .everything, from position: ReadPosition = .start,
        batchBytes: Int = 1 << 30, holdsBackUnfinishedLine: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (split: ReadOutcome, sequential: ReadOutcome) {
        let split = try ReadingFixtures.read(
            path, prefilter: prefilter, from: position, batchBytes: batchBytes,
            holdsBackUnfinishedLine: holdsBackUnfinishedLine, splitMinimumBytes: always)
        let sequential = try ReadingFixtures.read(
            path, prefilter: prefilter, from: position, batchBytes: batchBytes,
            holdsBackUnfinishedLine: holdsBackUnfinishedLine, splitMinimumBytes: never)
        #expect(split.format == sequential.format, sourceLocation: sourceLocation)
        #expect(split.events == sequential.events, sourceLocation: sourceLocation)
        #expect(split.errors == sequential.errors, sourceLocation: sourceLocation)
        #expect(split.records == sequential.records, sourceLocation: sourceLocation)
        #expect(split.coverage == sequential.coverage, sourceLocation: sourceLocation)
        #expect(split.bytes == sequential.bytes, sourceLocation: sourceLocation)
        #expect(split.end == sequential.end, sourceLocation: sourceLocation)
        #expect(split.batches.last?.heldBackLine == sequential.batches.last?.heldBackLine, sourceLocation: sourceLocation)
        // Batches follow each other: each starts where the one before ended.
        var offset = position.offset
        for batch in split.batches {
            #expect(batch.end.offset == offset + batch.bytes, sourceLocation: sourceLocation)
            offset = batch.end.offset
        }
        return (split, sequential)
    }

    static func record(_ index: Int, day: Int, operation: String = "MailItemsAccessed", padding: Int = 0) -> String {
        #"{"CreationTime":"2026-10-\#(String(format: "%02d", day))T10:00:00","Id":"r\#(index)","Operation":"\#(operation)","Workload":"Exchange","Padding":"\#(String(repeating: "p", count: padding))"}"#
    }

    @Test(arguments: [
        "api-records.ndjson", "ecs-flattened.ndjson", "ecs-mixed.ndjson", "ecs-nested.ndjson",
    ])
    func fixtureFilesReadTheSameSplit(name: String) throws {
        let path = ReadingFixtures.path(name)
        let (split, _) = try Self.expectSameAsSequential(path)
        // With one batch's worth of input the sequential read hands out one batch; the split read one per half.
        #expect(split.batches.count == 2)
        try Self.expectSameAsSequential(path, prefilter: Self.bypass)
    }

    @Test func theBundledSampleLogsReadTheSameSplit() throws {
        let logs = TestPaths.packageRoot.appendingPathComponent("scripts/sample-data/logs")
        for name in ["o365-management-api-2026-10.ndjson", "filebeat-o365-2026-11.ndjson"] {
            let path = logs.appendingPathComponent(name).path
            let (split, _) = try Self.expectSameAsSequential(path)
            #expect(split.records > 100)
            try Self.expectSameAsSequential(path, prefilter: Self.bypass, batchBytes: 4 << 10)
        }
    }

    /// Ten MiB of uneven lines over nine days: the middle falls inside a line, the tail's batches queue up behind the
    /// head (more events than the queue holds), and small batches make many of them.
    @Test func aLargeFileWithTheMiddleInsideALineReadsTheSameSplit() throws {
        let path = try ReadingFixtures.write(MappedInputTests.corpus())
        let (split, _) = try Self.expectSameAsSequential(path, batchBytes: 1 << 20)
        #expect(split.events.count > TailRead.queuedEventLimit)
        #expect(split.records == 9_000)
        try Self.expectSameAsSequential(path, prefilter: Self.bypass, batchBytes: 1 << 20)
    }

    @Test func aMiddleExactlyOnALineStartReadsTheSameSplit() throws {
        // Two lines of equal length: the middle is the second line's first byte.
        let first = Self.record(1, day: 1)
        let second = Self.record(2, day: 2)
        #expect(first.utf8.count == second.utf8.count)
        let path = try ReadingFixtures.write(first + "\n" + second + "\n")
        let (split, _) = try Self.expectSameAsSequential(path)
        #expect(split.batches.map(\.end.offset) == [UInt64(first.utf8.count + 1), UInt64(2 * (first.utf8.count + 1))])
        #expect(split.events.map(\.line) == [1, 2])
    }

    @Test func aFileWithoutATrailingNewlineReadsTheSameSplit() throws {
        let lines = (0..<200).map { Self.record($0, day: 1 + $0 / 50, padding: $0 % 7 * 30) }
        let path = try ReadingFixtures.write(lines.joined(separator: "\n"))
        let (split, _) = try Self.expectSameAsSequential(path)
        #expect(split.records == 200 && split.events.last?.line == 200)
        // While a writer may still be appending, an unfinished last line is held back, with its true line number.
        let unfinished = try ReadingFixtures.write(lines.joined(separator: "\n") + "\n" + #"{"CreationTime":"2026-10-05T10:00"#)
        let held = try Self.expectSameAsSequential(unfinished, holdsBackUnfinishedLine: true)
        #expect(held.split.batches.last?.heldBackLine == 201)
    }

    @Test func brokenLinesInEitherHalfAreReportedOnTheirLines() throws {
        var lines = (0..<400).map { Self.record($0, day: 1 + $0 / 100, operation: $0 % 50 == 3 ? "Set-MailboxAuditBypassAssociation" : "MailItemsAccessed") }
        for broken in [10, 150, 260, 399] { lines[broken] = #"{"CreationTime":"2026-10-02T10:00:00","Id":"broken"# }
        let path = try ReadingFixtures.write(lines.joined(separator: "\n") + "\n\r\n")
        let (split, _) = try Self.expectSameAsSequential(path, prefilter: Self.bypass, batchBytes: 8 << 10)
        #expect(split.errors.map(\.line) == [11, 151, 261, 400])
        #expect(split.events.map(\.line) == (0..<400).filter { $0 % 50 == 3 }.map { $0 + 1 })
    }

    @Test func aResumedReadSplitsWhatIsLeft() throws {
        let path = try ReadingFixtures.write(MappedInputTests.corpus())
        let first = try ReadingFixtures.read(path, batchBytes: 2 << 20, splitMinimumBytes: Self.never)
        let resumeAt = try #require(first.batches.dropFirst(2).first?.end)
        let (split, _) = try Self.expectSameAsSequential(path, prefilter: Self.bypass, from: resumeAt)
        #expect(split.events.allSatisfy { $0.line > resumeAt.line })
    }

    /// gzip is read with read(2) and never split: the same records as the split plain file.
    @Test func aGzipCopyIsReadWholeAndAgreesWithTheSplitPlainFile() throws {
        let path = try ReadingFixtures.write(MappedInputTests.corpus())
        let gzip = try ReadingFixtures.gzip(path, level: 1)
        let plain = try ReadingFixtures.read(path, prefilter: Self.bypass, batchBytes: 1 << 30, splitMinimumBytes: Self.always)
        let compressed = try ReadingFixtures.read(gzip, prefilter: Self.bypass, batchBytes: 1 << 30, splitMinimumBytes: Self.always)
        #expect(plain.batches.count == 2 && compressed.batches.count == 1)
        #expect(plain.events == compressed.events && plain.coverage == compressed.coverage)
        #expect(plain.records == compressed.records && plain.end == compressed.end)
    }

    /// A caller that stops at a batch (`--strict`, a database error) stops the tail thread too: the read returns.
    @Test func aHandlerThatThrowsEndsBothHalves() throws {
        struct Stop: Error {}
        let path = try ReadingFixtures.write(MappedInputTests.corpus())
        var reader = AuditLogReader(source: InputSource(path: path), prefilter: .everything, batchBytes: 1 << 20)
        reader.splitMinimumBytes = Self.always
        var handed = 0
        #expect(throws: Stop.self) {
            _ = try reader.read { _ in
                handed += 1
                throw Stop()
            }
        }
        #expect(handed == 1)
    }
}
