import Foundation
import BypassAuditor

/// The stderr progress line: bytes, records per second and, where the size is known, an ETA.
final class ProgressLine: Sendable {
    func show(_ progress: IngestProgress) {
        let megabytes = Double(progress.bytesRead) / 1_048_576
        let rate = progress.elapsed > 0 ? Double(progress.records) / progress.elapsed : 0
        var line = String(format: "\r%@: %.1f MiB, %.0f records/s", progress.file, megabytes, rate)
        if let total = progress.totalBytes, total > 0, progress.bytesRead > 0, progress.elapsed > 0 {
            let remaining = Double(total - min(total, progress.bytesRead)) / (Double(progress.bytesRead) / progress.elapsed)
            line += String(format: ", %.0f%%, ETA %.0fs", 100 * Double(progress.bytesRead) / Double(total), remaining)
        }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
