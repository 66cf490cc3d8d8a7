import Crypto
import Foundation

/// Hex SHA-256, used for the chain, rule and register digests and report manifests.
public enum SHA256Digest {
    public static func hex(of data: Data) -> String {
        hex(digest: SHA256.hash(data: data))
    }

    public static func hex(of text: String) -> String { hex(of: Data(text.utf8)) }

    /// Lower-case hex of a digest's bytes. `verify` (run before every drift and report) hashes every chain entry:
    /// `String(format:)` per byte cost more than the hashing itself.
    public static func hex<Bytes: Sequence>(digest: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func hex(ofFile path: String) throws -> String {
        var hasher = SHA256()
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(digest: hasher.finalize())
    }
}
