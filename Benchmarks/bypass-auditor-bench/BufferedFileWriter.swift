import Foundation

/// Appends text to a new file through a 4 MiB buffer; `finish` flushes and closes it.
final class BufferedFileWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var bytesWritten = 0

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw BenchError.failed("cannot create \(path)") }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(4 << 20)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 4 << 20 { try flush() }
    }

    func finish() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A deterministic GUID-shaped id (the corpora must be the same from run to run).
func benchGUID(_ number: Int, salt: Int) -> String {
    let high = (UInt64(truncatingIfNeeded: number) &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: salt)
    let low = UInt64(truncatingIfNeeded: number) ^ 0x5DEE_CE66_D1CE_4E5B
    let a = String(high >> 32, radix: 16), b = String((high >> 16) & 0xFFFF, radix: 16), c = String(high & 0xFFFF, radix: 16)
    let d = String(low >> 48, radix: 16), e = String(low & 0xFFFF_FFFF_FFFF, radix: 16)
    func padded(_ text: String, _ width: Int) -> String { String(repeating: "0", count: max(0, width - text.count)) + text }
    return "\(padded(a, 8))-\(padded(b, 4))-\(padded(c, 4))-\(padded(d, 4))-\(padded(e, 12))"
}

/// Management API `CreationTime` text (no fraction, no zone) for `seconds` after 2026-10-01T00:00:00Z.
func creationTime(secondsIntoOctober seconds: Int) -> String {
    let day = 1 + seconds / 86_400
    let hour = (seconds % 86_400) / 3_600, minute = (seconds % 3_600) / 60, second = seconds % 60
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "2026-10-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
}
