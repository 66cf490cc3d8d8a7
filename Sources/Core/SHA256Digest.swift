import Crypto
import Foundation

/// Hex SHA-256, used for the chain, rule and register digests and report manifests.
public enum SHA256Digest {
    public static func hex(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    public static func hex(of text: String) -> String { hex(of: Data(text.utf8)) }

    public static func hex(ofFile path: String) throws -> String {
        var hasher = SHA256()
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
