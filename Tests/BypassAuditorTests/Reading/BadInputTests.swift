import Foundation
import Testing

import BypassAuditor
@testable import Reading

/// Bad input never aborts a read and never loses a good record: each problem is one `file:line: reason`.
@Suite struct BadInputTests {
    static func record(_ id: String, day: Int = 21, operation: String = "Set-MailboxAuditBypassAssociation") -> String {
        #"{"CreationTime":"2026-11-\#(day)T10:00:00","Id":"\#(id)","Operation":"\#(operation)","RecordType":1,"Workload":"Exchange"}"#
    }

    @Test(arguments: [ReadMode.fast, ReadMode.validate])
    func everyKindOfBadLineIsReportedAndSkipped(mode: ReadMode) throws {
        var content = Data()
        func line(_ text: String) { content.append(Data((text + "\n").utf8)) }
        line(Self.record("good-1"))
        line(#"{"CreationTime":"2026-11-21T10:00:00","Id":"bad-json","Operation":"Set-MailboxAuditBypassAssociation",}"#)
        content.append(Data(#"{"CreationTime":"2026-11-21T10:00:00","Id":"bad-utf8","Operation":"Set-MailboxAuditBypassAssociation","UserId":"a"#.utf8))
        content.append(contentsOf: [0xC3, 0x28])
        line(#""}"#)
        line(#"{"CreationTime":"2026-11-21T10:00:00","Operation":"Set-MailboxAuditBypassAssociation"}"#)
        line(#"{"Id":"no-time","Operation":"Set-MailboxAuditBypassAssociation"}"#)
        line(#"{"CreationTime":"21/11/2026","Id":"bad-time","Operation":"Set-MailboxAuditBypassAssociation"}"#)
        line("")
        line(#"["Set-MailboxAuditBypassAssociation"]"#)
        line(Self.record("good-2"))
        let path = try ReadingFixtures.write(content, name: "bad.ndjson")

        let outcome = try ReadingFixtures.read(path, prefilter: .bypassOnly, mode: mode)
        // Line 4 has no Id: kept under a derived id.
        #expect(outcome.ids.count == 3 && outcome.ids.first == "good-1" && outcome.ids.last == "good-2")
        #expect(DerivedEventID.isDerived(outcome.ids[1]))
        #expect(outcome.events.map(\.line) == [1, 4, 9])
        #expect(
            outcome.errors == [
                ReadError(file: path, line: 2, reason: "malformed JSON at column 103: expected a quoted object key, found '}'"),
                ReadError(file: path, line: 3, reason: "invalid UTF-8 at column 114"),
                ReadError(file: path, line: 5, reason: "record no-time has no CreationTime"),
                ReadError(file: path, line: 6, reason: "record bad-time has an unreadable CreationTime \"21/11/2026\""),
                ReadError(file: path, line: 8, reason: "record is not a JSON object"),
            ])
        #expect(outcome.records == 3)
        #expect(outcome.end == ReadPosition(offset: UInt64(content.count), line: 9))
    }

    @Test func validateModeFindsMalformedLinesTheFastPathSkips() throws {
        let path = try ReadingFixtures.write(
            Self.record("good-1", operation: "Set-Mailbox") + "\n" + #"{"Id":"x", oops}"# + "\n" + Self.record("good-2") + "\n")
        let fast = try ReadingFixtures.read(path, prefilter: .bypassOnly, mode: .fast)
        let validate = try ReadingFixtures.read(path, prefilter: .bypassOnly, mode: .validate)
        // Line 2 holds no bypass literal and no readable day: the fast path parses it for its day and reports it too.
        #expect(fast.errors.map(\.line) == [2])
        #expect(validate.errors.map(\.line) == [2])
        #expect(fast.ids == ["good-2"])
        #expect(validate.ids == ["good-1", "good-2"])

        // An irrelevant line whose day is readable is not parsed on the fast path: only validate reports it.
        let hidden = try ReadingFixtures.write(
            #"{"CreationTime":"2026-11-21T00:00:00","Id":"x" "Operation":"Set-Mailbox"}"# + "\n" + Self.record("good") + "\n")
        #expect(try ReadingFixtures.read(hidden, prefilter: .bypassOnly, mode: .fast).errors == [])
        #expect(
            try ReadingFixtures.read(hidden, prefilter: .bypassOnly, mode: .validate).errors == [
                ReadError(file: hidden, line: 1, reason: "malformed JSON at column 48: expected ',' or '}' in an object, found '\"'")
            ])
    }

    @Test func overLongLinesAreSkippedWithoutBufferingThem() throws {
        let long = #"{"CreationTime":"2026-11-21T10:00:00","Id":"long","Pad":""# + String(repeating: "x", count: 300_000) + #""}"#
        let path = try ReadingFixtures.write(
            Self.record("a") + "\n" + long + "\n" + Self.record("b") + "\n" + long + "\n" + Self.record("c"))
        let outcome = try ReadingFixtures.read(path, mode: .validate, maxLineBytes: 64 << 10)
        #expect(outcome.ids == ["a", "b", "c"])
        #expect(outcome.events.map(\.line) == [1, 3, 5])
        #expect(
            outcome.errors == [
                ReadError(file: path, line: 2, reason: "line is longer than the 65536-byte limit; skipped"),
                ReadError(file: path, line: 4, reason: "line is longer than the 65536-byte limit; skipped"),
            ])
    }

    /// Lines far larger than one read (4 MiB) are dropped while they stream past, in every layout.
    @Test func recordsLargerThanTheReadWindowAreDroppedAsTheyStream() throws {
        let pad = String(repeating: "y", count: 4_400_000)
        let huge = #"{"CreationTime":"2026-11-21T10:00:00","Id":"huge","Pad":""# + pad + #""}"#
        let lines = try ReadingFixtures.write(Self.record("a") + "\n" + huge + "\n" + Self.record("b") + "\n")
        let fromLines = try ReadingFixtures.read(lines, maxLineBytes: 1 << 20)
        #expect(fromLines.ids == ["a", "b"])
        #expect(fromLines.errors == [ReadError(file: lines, line: 2, reason: "line is longer than the 1048576-byte limit; skipped")])

        let array = try ReadingFixtures.write("[" + Self.record("a") + ",\n" + huge + ",\n" + Self.record("b") + "]")
        let fromArray = try ReadingFixtures.read(array, maxLineBytes: 1 << 20)
        #expect(fromArray.ids == ["a", "b"])
        #expect(fromArray.errors == [ReadError(file: array, line: 2, reason: "record is longer than the 1048576-byte limit; skipped")])

        let csvRow = { (record: String) in "x,\"" + record.replacingOccurrences(of: "\"", with: "\"\"") + "\"\r\n" }
        let csv = try ReadingFixtures.write(
            "Operations,AuditData\r\n" + csvRow(Self.record("a")) + csvRow(huge) + csvRow(Self.record("b")), name: "huge.csv")
        let fromCSV = try ReadingFixtures.read(csv, maxLineBytes: 1 << 20)
        #expect(fromCSV.ids == ["a", "b"])
        #expect(fromCSV.errors == [ReadError(file: csv, line: 3, reason: "CSV row is longer than the 1048576-byte limit; skipped")])
    }

    @Test func truncatedGzipKeepsEverythingBeforeTheBreak() throws {
        let lines = (1...2000).map { Self.record("r\($0)", day: 21 + $0 % 3) }
        let plain = try ReadingFixtures.write(lines.joined(separator: "\n") + "\n")
        let gzipped = try ReadingFixtures.gzip(plain, level: 1)
        let data = try Data(contentsOf: URL(fileURLWithPath: gzipped))
        let cut = try ReadingFixtures.write(data.prefix(data.count / 2), name: "cut.ndjson.gz")

        let outcome = try ReadingFixtures.read(cut, prefilter: .bypassOnly)
        let kept = outcome.events.count
        #expect(kept > 100 && kept < 2000)
        #expect(outcome.ids == (1...kept).map { "r\($0)" })
        #expect(outcome.errors.count == 1)
        let error = try #require(outcome.errors.first)
        #expect(error.line == kept + 1)
        #expect(error.reason.hasPrefix("gzip data is truncated"))
        #expect(error.reason.hasSuffix("the input stops inside line \(kept + 1); that record is skipped"))
        #expect(outcome.end.line == kept)
        #expect(outcome.records == kept)
    }

    @Test func corruptGzipIsReportedNotThrown() throws {
        let plain = try ReadingFixtures.write((1...50).map { Self.record("r\($0)") }.joined(separator: "\n") + "\n")
        var data = try Data(contentsOf: URL(fileURLWithPath: try ReadingFixtures.gzip(plain)))
        for index in 40..<min(80, data.count) { data[index] ^= 0x5A }
        let path = try ReadingFixtures.write(data, name: "corrupt.ndjson.gz")
        let outcome = try ReadingFixtures.read(path)
        #expect(outcome.errors.count == 1)
        #expect(outcome.errors.first?.reason.hasPrefix("gzip data is corrupt") == true)
        #expect(outcome.events.count < 50)
    }

    @Test func truncatedJSONDocumentReportsTheRecordItStoppedIn() throws {
        let path = try ReadingFixtures.write("[\n" + Self.record("a") + ",\n" + Self.record("b") + ",\n{\"Id\":\"c\",\n")
        let outcome = try ReadingFixtures.read(path)
        #expect(outcome.ids == ["a", "b"])
        #expect(
            outcome.errors == [
                ReadError(file: path, line: 4, reason: "the input ends inside this record (truncated JSON); the record is skipped")
            ])
    }

    @Test func onlyUnopenableOrUnrecognisableInputThrows() throws {
        let missing = "/nonexistent/bypass-auditor/none.ndjson"
        #expect(throws: ReadError(file: missing, line: 0, reason: "cannot open: No such file or directory")) {
            _ = try ReadingFixtures.read(missing)
        }
        let directory = try TestPaths.temporaryDirectory().path
        #expect(throws: ReadError(file: directory, line: 0, reason: "is a directory")) {
            _ = try ReadingFixtures.read(directory)
        }
        let prose = try ReadingFixtures.write("just some words\n")
        #expect(throws: ReadError.self) { _ = try ReadingFixtures.read(prose) }
        let unknownJSON = try ReadingFixtures.write(#"{"hello":"world"}"# + "\n")
        #expect(throws: ReadError.self) { _ = try ReadingFixtures.read(unknownJSON) }
    }

    @Test func emptyAndBlankInputsGiveOneEmptyBatch() throws {
        for content in ["", "\n\n  \n", "\u{FEFF}"] {
            let path = try ReadingFixtures.write(content)
            let outcome = try ReadingFixtures.read(path)
            #expect(outcome.batches.count == 1)
            #expect(outcome.records == 0 && outcome.errors == [] && outcome.events == [])
            #expect(outcome.end.offset == UInt64(content.utf8.count))
        }
    }
}
