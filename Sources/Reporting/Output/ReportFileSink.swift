import Core
import Crypto
import Foundation

/// Where a renderer writes text: a `String` in memory (tests, small files) or a `ReportFileSink` that streams it to
/// disk, so a table of 200,000 rows never has to exist whole in memory.
public protocol ReportTextSink {
    mutating func write(_ text: String)
}

extension String: ReportTextSink {
    public mutating func write(_ text: String) { append(text) }
}

/// Streams text into a new file through a 1 MiB buffer, hashing it on the way (the `SHA256SUMS` line). The first
/// error is kept and rethrown by `finish`, so renderers need not handle I/O failures line by line.
public struct ReportFileSink: ReportTextSink {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var failure: Error?

    public init(creating url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw ReportWriteError.cannotWrite(path: url.path, reason: "cannot create the file")
        }
        handle = try FileHandle(forWritingTo: url)
        path = url.path
        buffer.reserveCapacity(1 << 20)
    }

    public mutating func write(_ text: String) {
        // A document rendered whole (the HTML is 9 MB at scale) goes through in buffer-sized pieces rather than
        // being copied into the buffer entire first.
        if text.utf8.count > 1 << 20, text.utf8.withContiguousStorageIfAvailable({ write(bytes: $0) }) != nil { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes bytes already encoded as UTF-8 (a document rendered whole), in buffer-sized pieces so the buffer never
    /// grows to the document's size.
    public mutating func write<Bytes: RandomAccessCollection<UInt8>>(bytes: Bytes) where Bytes.Index == Int {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes.index(start, offsetBy: min(1 << 20, bytes.endIndex - start))
            buffer.append(contentsOf: bytes[start..<end])
            if buffer.count >= 1 << 20 { flush() }
            start = end
        }
    }

    /// Flushes, syncs and closes the file; returns its SHA-256 (hex).
    public mutating func finish() throws -> String {
        flush()
        if failure == nil {
            do {
                try handle.synchronize()
            } catch {
                failure = error
            }
        }
        try? handle.close()
        if let failure { throw ReportWriteError.cannotWrite(path: path, reason: "\(failure)") }
        return Core.SHA256Digest.hex(digest: hasher.finalize())
    }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        hasher.update(data: buffer)
        if failure == nil {
            do {
                try handle.write(contentsOf: buffer)
            } catch {
                failure = error
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
