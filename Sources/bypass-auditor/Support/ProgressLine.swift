import Foundation
import Synchronization
import BypassAuditor

/// The width of the progress line last written, shared by its updates.
private final class WidthBox: Sendable {
    private let value = Mutex(0)
    func exchange(_ new: Int) -> Int { value.withLock { old in defer { old = new }; return old } }
    func load() -> Int { value.withLock { $0 } }
}

/// The stderr progress line: for ingest bytes, records per second and, where the size is known, an ETA; for detect
/// the stored events evaluated so far.
final class ProgressLine: Sendable {
    func show(_ progress: IngestProgress) {
        let megabytes = Double(progress.bytesRead) / 1_048_576
        let rate = progress.elapsed > 0 ? Double(progress.records) / progress.elapsed : 0
        var line = String(format: "\r%@: %.1f MiB, %.0f records/s", progress.file, megabytes, rate)
        if let total = progress.totalBytes, total > 0, progress.bytesRead > 0, progress.elapsed > 0 {
            let remaining = Double(total - min(total, progress.bytesRead)) / (Double(progress.bytesRead) / progress.elapsed)
            line += String(format: ", %.0f%%, ETA %.0fs", 100 * Double(progress.bytesRead) / Double(total), remaining)
        }
        show(line: line)
    }

    func show(_ progress: DetectionProgress) {
        let percent = progress.total > 0 ? 100 * progress.evaluated / progress.total : 100
        show(line: "\rdetect: \(progress.evaluated) of \(progress.total) stored events evaluated (\(percent)%)")
    }

    /// A stage of a longer run (`report: writing 2026-10`).
    func show(step: String) {
        show(line: "\r" + step + " …")
    }

    /// Shows `line` (starting with a carriage return) in place of the one before.
    private func show(line: String) {
        // Without control codes (TERM=dumb, NO_COLOR) the rest of a longer earlier line is blanked with spaces.
        let width = line.count
        let erase = Console.allowsControlCodes ? "\u{1B}[K" : String(repeating: " ", count: max(0, widest.exchange(width) - width))
        FileHandle.standardError.write(Data((line + erase).utf8))
    }

    func finish() {
        let erase = Console.allowsControlCodes ? "\u{1B}[K" : String(repeating: " ", count: widest.load())
        FileHandle.standardError.write(Data(("\r" + erase + (Console.allowsControlCodes ? "" : "\r")).utf8))
    }

    /// The width of the line last shown.
    private let widest = WidthBox()
}
