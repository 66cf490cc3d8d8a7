import Foundation
import GRDB
import Testing

/// A plain input file is read through a memory mapping; when the file shrinks under it (truncated or rewritten in
/// place while ingest reads it), the pages past the new end vanish and touching one raises SIGBUS. The real binary
/// must then stop with its documented message and exit code, leaving only whole batches in the database.
@Suite struct ShrinkingInputTests {
    static let rules = PackageRoot.url.appendingPathComponent("Policies/rules").path
    /// Every line is this long (newline included), so a committed offset says exactly how many lines it covers. Not a
    /// divisor of the 4 MiB mapping window: the first batch then ends inside a window, and the read goes on scanning
    /// that window's pages after the commit the test waits for.
    static let lineLength = 1000
    static let lines = 48 * 1024
    /// Every this many lines, a bypass record (so events are stored batch by batch).
    static let bypassEvery = 1000

    static func line(_ number: Int) -> String {
        let day = 1 + number % 28
        let operation = number % bypassEvery == 0 ? "Set-MailboxAuditBypassAssociation" : "MailItemsAccessed"
        let head = String(format: #"{"CreationTime":"2026-10-%02dT03:14:07","Id":"rec-%08d","Operation":""#, day, number)
            + operation
            + #"","OrganizationId":"t","RecordType":1,"ResultStatus":"True","UserId":"x@contoso.com","Workload":"Exchange","#
            + #""Parameters":[{"Name":"Identity","Value":"j.doe"},{"Name":"AuditBypassEnabled","Value":"True"}],"Padding":""#
        return head + String(repeating: "x", count: lineLength - head.utf8.count - 3) + "\"}\n"
    }

    static func writeInput(_ path: String) throws {
        var data = Data()
        data.reserveCapacity(lines * lineLength)
        for number in 1...lines { data.append(contentsOf: line(number).utf8) }
        #expect(data.count == lines * lineLength)
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// The input file's committed position, once the first batch is committed; nil while there is none.
    static func committedOffset(_ db: String) -> Int? {
        guard FileManager.default.fileExists(atPath: db),
            let queue = try? DatabaseQueue(path: db)
        else { return nil }
        defer { try? queue.close() }
        return (try? queue.read { try Int.fetchOne($0, sql: "SELECT MAX(committed_offset) FROM input_file") }) ?? nil
    }

    @Test func aFileTruncatedWhileMappedEndsTheRunWithExitFiveAndLeavesOnlyWholeBatches() throws {
        let folder = try TemporaryDirectory()
        let input = folder.path("audit.ndjson")
        let db = folder.path("db.sqlite")
        try Self.writeInput(input)

        // --validate parses every line: slow enough that the read is still under way when the test truncates.
        let process = Process()
        process.executableURL = try CLI.binary
        process.arguments = ["ingest", "--db", db, "--rules", Self.rules, "--validate", "--json", input]
        let errPipe = Pipe()
        let outPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        nonisolated(unsafe) var errData = Data()
        nonisolated(unsafe) var outData = Data()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errData = errPipe.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        DispatchQueue.global().async {
            outData = outPipe.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, (Self.committedOffset(db) ?? 0) == 0, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        // Stopped while the truncation happens, so the run is certainly mid-read when it resumes.
        let stopped = process.isRunning && kill(process.processIdentifier, SIGSTOP) == 0
        try #require(stopped, "the ingest finished before the test could truncate its input; make the input larger")
        let keptBytes = 1 << 20
        #expect(truncate(input, off_t(keptBytes)) == 0)
        kill(process.processIdentifier, SIGCONT)
        process.waitUntilExit()
        drained.wait()
        drained.wait()
        let stderr = String(decoding: errData, as: UTF8.self)
        let stdout = String(decoding: outData, as: UTF8.self)

        // Either the scan touched a vanished page (SIGBUS: exit 5), or it noticed the shrink between two stretches of
        // the file (a read failure: exit 2, listed in the JSON summary). Both say so; the first is the usual case.
        if process.terminationStatus == 5 {
            #expect(stderr.contains("\(input): the file shrank while it was being read"), "\(stderr)")
            #expect(stderr.contains("Run ingest again"), "\(stderr)")
        } else {
            #expect(process.terminationStatus == 2, "\(process.terminationReason) \(process.terminationStatus): \(stderr)")
            #expect(stdout.contains("the file shrank from at least"), "\(stdout)")
        }

        // Only whole batches: the checkpoint is on a line boundary, and the records, coverage and events stored all
        // stop exactly there.
        let queue = try DatabaseQueue(path: db)
        defer { try? queue.close() }
        try queue.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT id, committed_offset, committed_line, records FROM input_file"))
            let offset: Int = row["committed_offset"]
            let line: Int = row["committed_line"]
            let records: Int = row["records"]
            #expect(offset > 0)
            #expect(offset % Self.lineLength == 0)
            #expect(line == offset / Self.lineLength)
            #expect(records == line)
            let covered = try Int.fetchOne(db, sql: "SELECT SUM(records) FROM coverage WHERE input_file_id = ?", arguments: [row["id"]])
            #expect(covered == records)
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? -1
            #expect(events == line / Self.bypassEvery)
            let lastEventLine = try Int.fetchOne(db, sql: "SELECT MAX(line) FROM event") ?? 0
            #expect(lastEventLine <= line)
            if process.terminationStatus == 5 {
                let unfinished = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ingest_run WHERE finished_at IS NULL")
                #expect(unfinished == 1)
            }
        }

        // Run again: the shrunk file is a new input, read whole from its start.
        let again = try CLI.run(["ingest", "--db", db, "--rules", Self.rules, "--json", input])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try again.json()["records"] as? Int == keptBytes / Self.lineLength)
    }
}
