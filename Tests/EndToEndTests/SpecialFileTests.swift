import Foundation
import Testing

/// Issue 12: `ingest` of a FIFO with no writer blocked (and `watch`, ignoring SIGTERM while it waited, ran on under
/// `timeout`); a FIFO read once was "unchanged" forever after. Special files are refused unless streamed as `-`.
@Suite("FIFOs and special files")
struct SpecialFileTests {
    /// Opens `fifo` for writing after a while and closes it, so a reader blocked on it (the old behaviour) ends and
    /// the test fails instead of hanging.
    static func unblockLater(_ fifo: String) {
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 30)
            let descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
            if descriptor >= 0 { close(descriptor) }
        }
    }

    @Test("ingest and watch refuse a FIFO at once and say to stream it on standard input; '-' still works")
    func fifoIsRefused() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("audit.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        Self.unblockLater(fifo)
        let db = directory.path("audit.sqlite")

        // Exit 2, as for any input that could not be read beside others that could: never a clean 0.
        let ingest = try CLI.run(["ingest", "--db", db, fifo])
        #expect(ingest.status == 2, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("is not a regular file"), "\(ingest.stderr)")
        #expect(ingest.stderr.contains("standard input"), "\(ingest.stderr)")

        let watch = try CLI.run(["watch", "--db", db, "--cycles", "1", fifo])
        #expect(watch.stderr.contains("is not a regular file"), "\(watch.stderr)")

        // The same records streamed as '-' are read.
        let line = AuditRecordLines.bypass(id: "b-1", identity: "j.doe") + "\n"
        let streamed = try CLI.run(["ingest", "--db", db, "--json", "-"], stdin: Data(line.utf8))
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(try streamed.json()["events_stored"] as? Int == 1)
    }

    @Test("a character device named as input is refused, not read")
    func deviceIsRefused() throws {
        let directory = try TemporaryDirectory()
        let ingest = try CLI.run(["ingest", "--db", directory.path("audit.sqlite"), "/dev/zero"])
        #expect(ingest.status == 2)
        #expect(ingest.stderr.contains("/dev/zero") && ingest.stderr.contains("is not a regular file"), "\(ingest.stderr)")
    }
}
