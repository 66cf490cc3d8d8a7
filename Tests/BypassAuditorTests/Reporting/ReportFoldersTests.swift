import Foundation
import Testing

@testable import Reporting

/// The output folder's lock and the leftovers of interrupted runs.
@Suite("Report output folder")
struct ReportFoldersTests {
    @Test("a second run's lock waits (and says so) until the first releases it")
    func lockSerializesRuns() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try ReportFolderLock(directory: out)
        #expect(first.isHeld)
        let waiting = DispatchSemaphore(value: 0)
        let acquired = DispatchSemaphore(value: 0)
        // Written by the second thread before it signals `acquired`, read here after: the semaphore orders them.
        nonisolated(unsafe) var secondHeld = false
        let second = Thread {
            let lock = try? ReportFolderLock(directory: out) { waiting.signal() }
            secondHeld = lock?.isHeld == true
            lock?.release()
            acquired.signal()
        }
        second.start()
        waiting.wait()  // the second run found the folder locked
        first.release()
        acquired.wait()  // and got it once the first let go
        #expect(secondHeld)
    }

    @Test("only the hidden folders a run makes count as its temporary folders")
    func stagingNames() {
        let target = URL(fileURLWithPath: "/r/2026-10.r2")
        #expect(ReportFolders.isStagingName(ReportFolders.stagingFolder(for: target).lastPathComponent))
        #expect(ReportFolders.isStagingName(".2026-10.tmp-6F9619FF-8B86-D011-B42D-00C04FC964FF"))
        for name in ["2026-10", ".2026-10.tmp-x", ".tmp-6F9619FF-8B86-D011-B42D-00C04FC964FF", ".git", "2026-10.tmp-6F9619FF-8B86-D011-B42D-00C04FC964FF"] {
            #expect(!ReportFolders.isStagingName(name), "\(name)")
        }
    }

    @Test("stale temporary folders are removed; report folders, other hidden files and an earlier version's swap leftover are not lost")
    func cleanUp() throws {
        let out = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let manager = FileManager.default
        let stale = ReportFolders.stagingFolder(for: out.appendingPathComponent("2026-10"))
        for folder in [stale, out.appendingPathComponent("2026-09"), out.appendingPathComponent(".git")] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: folder.appendingPathComponent("file"))
        }
        // An earlier version's --force, killed between its two moves, left the period's only report hidden.
        let hidden = out.appendingPathComponent(".2026-08.old-6F9619FF-8B86-D011-B42D-00C04FC964FF")
        try manager.createDirectory(at: hidden, withIntermediateDirectories: true)

        #expect(try ReportFolders.removeStaleStaging(in: out).map(\.lastPathComponent) == [stale.lastPathComponent])
        let notes = try ReportFolders.restoreLegacySwaps(in: out)
        #expect(notes.count == 1 && notes[0].hasPrefix("restored \(out.appendingPathComponent("2026-08").path)"), "\(notes)")
        #expect(try manager.contentsOfDirectory(atPath: out.path).sorted() == [".git", "2026-08", "2026-09"])
    }
}
