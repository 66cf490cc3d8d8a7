import Foundation
import Testing

@testable import Core
@testable import Reading

/// A regular file is read through a moving memory mapping (`MappedFileWindow`), a few MiB at a time; gzip and
/// standard input are read with read(2). Both must give the same records, line numbers and coverage, whatever falls
/// on a window's edge.
@Suite struct MappedInputTests {
    /// About 10 MiB of lines of uneven length (so lines straddle every window edge), a day change every 1,000 lines,
    /// and a bypass record every 997 lines.
    static func corpus() -> String {
        var lines: [String] = []
        for index in 0..<9_000 {
            let day = 1 + index / 1_000
            let time = "2026-10-0\(day)T10:00:00"
            let operation = index % 997 == 5 ? "Set-MailboxAuditBypassAssociation" : "MailItemsAccessed"
            let padding = String(repeating: "p", count: 700 + (index * 37) % 900)
            lines.append(
                #"{"CreationTime":"\#(time)","Id":"e\#(index)","Operation":"\#(operation)","Workload":"Exchange","Parameters":[{"Name":"Identity","Value":"svc\#(index)"}],"Padding":"\#(padding)"}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aFileReadThroughTheMappingReadsLikeItsGzipCopy() throws {
        let plain = try ReadingFixtures.write(Self.corpus())
        let size = try #require(try FileManager.default.attributesOfItem(atPath: plain)[.size] as? Int)
        #expect(size > 2 * InputBuffer.mappedWindowBytes)
        let prefilter = LinePrefilter(literalGroups: [["Set-MailboxAuditBypassAssociation", "Exchange"]])
        let mapped = try ReadingFixtures.read(plain, prefilter: prefilter, batchBytes: 3 << 20)
        let streamed = try ReadingFixtures.read(try ReadingFixtures.gzip(plain, level: 1), prefilter: prefilter, batchBytes: 3 << 20)
        #expect(mapped.errors == [])
        #expect(mapped.records == 9_000)
        #expect(mapped.ids == (0..<9_000).filter { $0 % 997 == 5 }.map { "e\($0)" })
        #expect(mapped.events.map(\.line) == (0..<9_000).filter { $0 % 997 == 5 }.map { $0 + 1 })
        #expect(Set(mapped.coverage.values) == [1_000] && mapped.coverage.count == 9)
        #expect(mapped.ids == streamed.ids && mapped.events.map(\.line) == streamed.events.map(\.line))
        #expect(mapped.coverage == streamed.coverage && mapped.end == streamed.end)
        #expect(mapped.batches.count > 2)
    }

    @Test func aLineLongerThanTheWindowIsReadWhole() throws {
        let long = String(repeating: "x", count: InputBuffer.mappedWindowBytes + 12_345)
        let content = #"{"CreationTime":"2026-10-01T10:00:00","Id":"a","Operation":"MailItemsAccessed"}"# + "\n"
            + #"{"CreationTime":"2026-10-02T10:00:00","Id":"b","Operation":"Set-MailboxAuditBypassAssociation","Padding":"\#(long)"}"#
            + "\n" + #"{"CreationTime":"2026-10-03T10:00:00","Id":"c","Operation":"MailItemsAccessed"}"# + "\n"
        let path = try ReadingFixtures.write(content)
        let outcome = try ReadingFixtures.read(
            path, prefilter: LinePrefilter(literalGroups: [["Set-MailboxAuditBypassAssociation"]]), maxLineBytes: 8 << 20)
        #expect(outcome.errors == [])
        #expect(outcome.ids == ["b"] && outcome.events.map(\.line) == [2])
        #expect(outcome.records == 3 && outcome.coverage.count == 3)
    }

    @Test func linesAppendedAfterAReadAreReadOnResume() throws {
        let first = #"{"CreationTime":"2026-10-01T10:00:00","Id":"a","Operation":"Set-MailboxAuditBypassAssociation"}"# + "\n"
        let path = try ReadingFixtures.write(first)
        let prefilter = LinePrefilter(literalGroups: [["Set-MailboxAuditBypassAssociation"]])
        let before = try ReadingFixtures.read(path, prefilter: prefilter)
        #expect(before.ids == ["a"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data((#"{"CreationTime":"2026-10-02T10:00:00","Id":"b","Operation":"Set-MailboxAuditBypassAssociation"}"# + "\n").utf8))
        try handle.close()
        let after = try ReadingFixtures.read(path, prefilter: prefilter, from: before.end)
        #expect(after.ids == ["b"] && after.events.map(\.line) == [2])
        #expect(after.coverage == [UTCDay(year: 2026, month: 10, day: 2)!: 1])
    }
}
