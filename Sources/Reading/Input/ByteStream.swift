import CSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a stream stopped delivering bytes part-way (the bytes delivered before stay good).
struct StreamFailure: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// The compressed stream ended before its end marker.
        case truncated
        /// The compressed data is not valid.
        case corrupt
        /// The operating system refused to read further.
        case readFailed
    }

    var kind: Kind
    var detail: String
}

/// A source of raw bytes: a file, standard input, or a decompressor over one of them.
protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 means the end. A failure after some bytes is reported on the next call.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int
}

/// A file or standard input, read with read(2) so nothing is copied through Foundation.
final class FileStream: ByteStream {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// How messages name the file.
    private let displayName: String
    /// Bytes already taken by `peek` and not yet returned by `read`.
    private var pushedBack: [UInt8] = []
    /// True for a regular file (seekable, size known).
    let isRegularFile: Bool
    let size: UInt64?

    /// Opens `source`; throws a `ReadError` naming the file when it cannot be opened.
    init(source: InputSource) throws(ReadError) {
        displayName = source.displayName
        if source.isStandardInput {
            descriptor = 0
            ownsDescriptor = false
        } else {
            // Non-blocking, so a FIFO without a writer cannot hang the open (and a watch that ignores SIGTERM while
            // it waits); blocking reads are restored below for the files that are read.
            let opened = open(source.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            guard opened >= 0 else {
                throw ReadError(file: source.displayName, line: 0, reason: "cannot open: \(String(cString: strerror(errno)))")
            }
            descriptor = opened
            ownsDescriptor = true
        }
        var status = stat()
        let type = fstat(descriptor, &status) == 0 ? status.st_mode & S_IFMT : 0
        if ownsDescriptor, type != S_IFREG, type != S_IFDIR {
            // A FIFO, device or socket has no stable content: it may block, and read once it would look "unchanged"
            // forever after. Standard input is the way to stream one.
            close(descriptor)
            throw ReadError(
                file: source.displayName, line: 0,
                reason: "is not a regular file (a FIFO, device or socket); stream it on standard input instead: "
                    + "`… | bypass-auditor ingest -`")
        }
        if ownsDescriptor { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK) }
        if type == S_IFREG {
            isRegularFile = true
            size = UInt64(status.st_size)
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        } else if type == S_IFDIR {
            if ownsDescriptor { close(descriptor) }
            throw ReadError(file: source.displayName, line: 0, reason: "is a directory")
        } else {
            isRegularFile = false
            size = nil
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The first `count` bytes (fewer at the end), without consuming them.
    func peek(_ count: Int) throws(StreamFailure) -> [UInt8] {
        while pushedBack.count < count {
            var chunk = [UInt8](repeating: 0, count: count - pushedBack.count)
            let result = chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(StreamFailure) -> Int in try readDescriptor(into: buffer) }
            }
            let got = try result.get()
            if got == 0 { break }
            pushedBack += chunk[0..<got]
        }
        return Array(pushedBack.prefix(count))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        if !pushedBack.isEmpty {
            let count = min(buffer.count, pushedBack.count)
            pushedBack.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            pushedBack.removeFirst(count)
            return count
        }
        return try readDescriptor(into: buffer)
    }

    /// A `MappedFileWindow` over this file (regular files only), so the read loop scans the page cache in place instead
    /// of copying every byte out of it with read(2).
    func mappedWindow() -> MappedFileWindow? {
        guard isRegularFile, ownsDescriptor else { return nil }
        return MappedFileWindow(descriptor: descriptor, displayName: displayName)
    }

    /// The offset just after the first newline at or after `offset - 1` and before `limit` (a line start at or after
    /// `offset`), read with pread(2) so the stream's position is untouched; nil when there is none or reading fails.
    func lineStart(atOrAfter offset: Int, before limit: Int) -> Int? {
        guard isRegularFile, offset > 0 else { return nil }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var position = offset - 1
        while position < limit {
            let got = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, min($0.count, limit - position), off_t(position)) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { return nil }
            if let newline = chunk[0..<got].firstIndex(of: 0x0A) { return position + newline + 1 }
            position += got
        }
        return nil
    }

    /// Moves to `offset` (regular files only); false when the stream cannot seek.
    func seek(to offset: UInt64) -> Bool {
        guard isRegularFile, offset <= UInt64(Int64.max) else { return false }
        pushedBack.removeAll()
        return lseek(descriptor, off_t(offset), SEEK_SET) >= 0
    }

    private func readDescriptor(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        while true {
            let got = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw StreamFailure(kind: .readFailed, detail: String(cString: strerror(errno)))
        }
    }
}

/// Inflates a gzip stream in-process through zlib (several times faster than piping through zcat).
///
/// Concatenated gzip members (as `cat a.gz b.gz` or multi-member writers produce) are read one after another. Bytes
/// after the last member that do not start another member (zero padding, trailing garbage) end the stream, as gzip -d
/// treats them.
final class GzipStream: ByteStream {
    static let magic: [UInt8] = [0x1F, 0x8B]

    private let source: ByteStream
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var sourceEnded = false
    private var finished = false
    private var pendingFailure: StreamFailure?

    init(source: ByteStream, inputBufferSize: Int = 256 << 10) {
        self.source = source
        // zlib keeps a pointer back to its z_stream, so the struct must not move: it lives on the heap.
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: inputBufferSize, alignment: 16)
        // 15 window bits + 32: accept gzip (and zlib) headers.
        if csupport_inflate_init(stream, 15 + 32) != Z_OK {
            pendingFailure = StreamFailure(kind: .corrupt, detail: "zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StreamFailure) -> Int {
        if let failure = pendingFailure {
            pendingFailure = nil
            finished = true
            throw failure
        }
        guard !finished, buffer.count > 0 else { return 0 }
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(clamping: buffer.count)
        let capacity = Int(stream.pointee.avail_out)
        func produced() -> Int { capacity - Int(stream.pointee.avail_out) }

        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0, !sourceEnded {
                do {
                    try refillInput()
                } catch {
                    return try deliver(produced(), orFail: error)
                }
            }
            if stream.pointee.avail_in == 0, sourceEnded {
                return try deliver(
                    produced(), orFail: StreamFailure(kind: .truncated, detail: "the gzip data ends before its end marker"))
            }
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                if try !startNextMember() {
                    finished = true
                    return produced()
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "inflate error \(status)"
                return try deliver(produced(), orFail: StreamFailure(kind: .corrupt, detail: message))
            }
        }
        return produced()
    }

    /// Returns what was produced so far and keeps the failure for the next call, or throws it when nothing was.
    private func deliver(_ count: Int, orFail failure: StreamFailure) throws(StreamFailure) -> Int {
        if count > 0 {
            pendingFailure = failure
            return count
        }
        finished = true
        throw failure
    }

    private func refillInput() throws(StreamFailure) {
        let got = try source.read(into: input)
        if got == 0 { sourceEnded = true }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(got)
    }

    /// After a member's end: true when another gzip member follows (and zlib is reset for it).
    private func startNextMember() throws(StreamFailure) -> Bool {
        if stream.pointee.avail_in < 2, !sourceEnded {
            // Keep the leftover byte (if any) and top up, so the magic can be checked.
            let leftover = stream.pointee.avail_in == 1 ? stream.pointee.next_in.pointee : nil
            let target = UnsafeMutableRawBufferPointer(rebasing: input[(leftover == nil ? 0 : 1)...])
            let got = try source.read(into: target)
            if got == 0 { sourceEnded = true }
            if let leftover { input[0] = leftover }
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(got + (leftover == nil ? 0 : 1))
        }
        guard stream.pointee.avail_in >= 2, stream.pointee.next_in[0] == GzipStream.magic[0],
            stream.pointee.next_in[1] == GzipStream.magic[1]
        else { return false }
        return inflateReset(stream) == Z_OK
    }
}
