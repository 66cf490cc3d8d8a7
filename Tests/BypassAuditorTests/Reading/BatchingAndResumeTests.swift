import Foundation
import Testing

import BypassAuditor
@testable import Reading

/// Batches end on record boundaries with true line counts, and a read resumed from any batch end continues exactly
/// there: no record twice, none lost — plain, gzip, CSV and whole-document inputs alike.
@Suite struct BatchingAndResumeTests {
    /// 600 records over three days; every 7th is a bypass change. Some lines are CRLF, some blank.
    static func corpus() -> String {
        (1...600).map { index in
            let operation = index % 7 == 0 ? "Set-MailboxAuditBypassAssociation" : "MailItemsAccessed"
            let ending = index % 5 == 0 ? "\r\n" : "\n"
            let blank = index % 97 == 0 ? "\n" : ""
            return #"{"CreationTime":"2026-11-\#(21 + index % 3)T10:00:00","Id":"r\#(index)","Operation":"\#(operation)","RecordType":2,"Workload":"Exchange"}"# + ending + blank
        }.joined()
    }

    @Test(arguments: ["plain", "gzip", "csv", "array"])
    func batchesEndOnRecordBoundariesAndResumeExactly(kind: String) throws {
        var content = Self.corpus()
        var name = "corpus.ndjson"
        if kind == "csv" {
            content = "RecordId,AuditData\r\n" + content.split(whereSeparator: \.isNewline).map { line in
                "x,\"" + line.replacingOccurrences(of: "\"", with: "\"\"") + "\"\r\n"
            }.joined()
            name = "corpus.csv"
        } else if kind == "array" {
            content = "[\n" + content.split(whereSeparator: \.isNewline).joined(separator: ",\n") + "\n]\n"
            name = "corpus.json"
        }
        var path = try ReadingFixtures.write(content, name: name)
        if kind == "gzip" { path = try ReadingFixtures.gzip(path) }

        let everything = try ReadingFixtures.read(path, mode: .validate)
        #expect(everything.errors == [])
        #expect(everything.ids.count == 600)
        #expect(everything.batches.count == 1)

        // The fast path (bypass records only, ~1 in 7 parsed) keeps batching and resuming cheap to test.
        let whole = try ReadingFixtures.read(path, prefilter: .bypassOnly)
        #expect(whole.ids.count == 85)
        #expect(whole.coverage == everything.coverage)
        #expect(whole.end == everything.end)

        let batched = try ReadingFixtures.read(path, prefilter: .bypassOnly, batchBytes: 6_000)
        #expect(batched.batches.count > 10)
        #expect(batched.ids == whole.ids)
        #expect(batched.events.map(\.line) == whole.events.map(\.line))
        #expect(batched.coverage == whole.coverage)
        #expect(batched.records == 600)
        #expect(batched.bytes == UInt64(content.utf8.count))
        let bytes = Array(content.utf8)
        let newlineOffsets = bytes.indices.filter { bytes[$0] == 0x0A }
        for batch in batched.batches {
            #expect(batch.end.line == newlineOffsets.prefix { $0 < Int(batch.end.offset) }.count)
            let last = bytes[Int(batch.end.offset) - 1]
            #expect(batch.end.offset == UInt64(bytes.count) || last == 0x0A || last == UInt8(ascii: "}"))
        }

        // Resume from every batch end: the rest is exactly what the whole read had after it.
        var recordsBefore = 0
        for (index, batch) in batched.batches.enumerated().dropLast() {
            recordsBefore += batch.records
            let resumed = try ReadingFixtures.read(path, prefilter: .bypassOnly, from: batch.end, batchBytes: 6_000)
            let before = batched.batches[...index].reduce(0) { $0 + $1.events.count }
            #expect(resumed.ids == Array(whole.ids.dropFirst(before)), "resume after batch \(index) of \(kind)")
            #expect(resumed.events.map(\.line) == Array(whole.events.map(\.line).dropFirst(before)))
            #expect(resumed.errors == [])
            #expect(resumed.records == 600 - recordsBefore)
            #expect(resumed.end == whole.end)
            #expect(resumed.bytes == UInt64(content.utf8.count) - batch.end.offset)
        }
    }

    /// A batch also ends after `batchEvents` kept events, however little input it covers, and resumes exactly there.
    @Test(arguments: ["plain", "gzip"])
    func batchesEndAfterTheirEventLimit(kind: String) throws {
        var path = try ReadingFixtures.write(Self.corpus())
        if kind == "gzip" { path = try ReadingFixtures.gzip(path) }
        let whole = try ReadingFixtures.read(path, prefilter: .bypassOnly)
        let limited = try ReadingFixtures.read(path, prefilter: .bypassOnly, batchEvents: 10)
        #expect(whole.batches.count == 1)
        // 85 bypass records, ten to a batch: nine batches, the last with the remaining five.
        #expect(limited.batches.map(\.events.count) == [10, 10, 10, 10, 10, 10, 10, 10, 5])
        #expect(limited.ids == whole.ids)
        #expect(limited.events.map(\.line) == whole.events.map(\.line))
        #expect(limited.coverage == whole.coverage)
        #expect(limited.records == 600)
        for (index, batch) in limited.batches.enumerated().dropLast() {
            let resumed = try ReadingFixtures.read(path, prefilter: .bypassOnly, from: batch.end, batchEvents: 10)
            #expect(resumed.ids == Array(whole.ids.dropFirst(10 * (index + 1))), "resume after batch \(index) of \(kind)")
            #expect(resumed.end == whole.end)
        }
    }

    @Test func standardInputIsReadLikeAFile() throws {
        let path = try ReadingFixtures.write(Self.corpus())
        let gz = try ReadingFixtures.gzip(path)
        for input in [path, gz] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/cat")
            process.arguments = [input]
            let pipe = Pipe()
            process.standardOutput = pipe
            // Read the child's output through our own standard input: dup the pipe onto fd 0 for the read's duration.
            let saved = dup(0)
            dup2(pipe.fileHandleForReading.fileDescriptor, 0)
            defer {
                dup2(saved, 0)
                close(saved)
            }
            try process.run()
            let reader = AuditLogReader(source: .standardInput, prefilter: .bypassOnly)
            var batches: [ReadBatch] = []
            let format = try reader.read { batches.append($0) }
            process.waitUntilExit()
            let fromStdin = ReadOutcome(format: format, batches: batches)
            let fromFile = try ReadingFixtures.read(path, prefilter: .bypassOnly)
            #expect(fromStdin.format == .managementAPI)
            #expect(fromStdin.ids == fromFile.ids)
            #expect(fromStdin.coverage == fromFile.coverage)
            #expect(fromStdin.errors.allSatisfy { $0.file == "<stdin>" })
        }
    }

    @Test func concatenatedGzipMembersAreReadInFull() throws {
        let lines = Self.corpus().split(separator: "\n", omittingEmptySubsequences: false)
        let first = try ReadingFixtures.gzip(try ReadingFixtures.write(lines[..<300].joined(separator: "\n") + "\n"))
        let second = try ReadingFixtures.gzip(try ReadingFixtures.write(lines[300...].joined(separator: "\n")))
        var joined = try Data(contentsOf: URL(fileURLWithPath: first))
        joined.append(try Data(contentsOf: URL(fileURLWithPath: second)))
        let path = try ReadingFixtures.write(joined, name: "joined.ndjson.gz")
        let outcome = try ReadingFixtures.read(path)
        #expect(outcome.errors == [])
        #expect(outcome.ids.count == 600)
    }

    @Test func gzipOfEveryFormatReadsLikeThePlainFile() throws {
        for name in [
            "api-records.ndjson", "api-content-blob.json", "ecs-nested.ndjson", "ecs-mixed.ndjson", "search-response.json",
            "purview-classic.csv", "purview-new.csv",
        ] {
            let copy = try ReadingFixtures.write(
                try Data(contentsOf: URL(fileURLWithPath: ReadingFixtures.path(name))), name: name)
            let plain = try ReadingFixtures.read(copy)
            let gzipped = try ReadingFixtures.read(try ReadingFixtures.gzip(copy))
            #expect(gzipped.format == plain.format, "\(name)")
            #expect(gzipped.events == plain.events, "\(name)")
            #expect(gzipped.end == plain.end, "\(name)")
            #expect(!plain.events.isEmpty)
        }
    }

    @Test func formatOverrideWins() throws {
        let path = ReadingFixtures.path("api-records.ndjson")
        let asECS = try ReadingFixtures.read(path, format: .ecsNDJSON)
        #expect(asECS.format == .ecsNDJSON)
        // Raw records have no event.id/@timestamp: read as ECS documents, every one is reported, none is invented.
        #expect(asECS.events.isEmpty)
        #expect(asECS.errors.count == 7)
        #expect(asECS.errors.allSatisfy { $0.reason == "document without event.id has no @timestamp" })
        #expect(throws: ReadError.self) { _ = try ReadingFixtures.read(path, format: .purviewCSV) }
    }
}
