import Drift
import Crypto
import Foundation

/// Stable fragment ids (`report.html#finding-…`) derived only from an item's identity, so a link into last month's
/// report and this month's points at the same finding, control or account.
public enum ReportAnchor {
    public static func finding(_ id: String) -> String { "finding-" + slug(id) }
    public static func account(_ key: String) -> String { "account-" + slug(key) }
    public static func investigation(_ key: String) -> String { "investigation-" + slug(key) }
    public static func control(_ id: ControlID) -> String { "control-" + slug(id.rawValue) }
    public static func alert(_ id: Int64) -> String { "alert-\(id)" }
    public static func change(_ eventID: String) -> String { "change-" + slug(eventID) }
    public static func entry(_ id: String) -> String { "entry-" + slug(id) }

    /// Lowercase ASCII letters and digits, other runs turned into `-`, at most 80 characters. When that loses
    /// information (anything but ASCII case changed, or the text was cut), the first 8 hex digits of the text's
    /// SHA-256 are appended, so two different identities never share an anchor (identities are case-insensitive).
    public static func slug(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(text.utf8.count, 81))
        var lossy = false
        var lastWasDash = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                bytes.append(byte)
                lastWasDash = false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                bytes.append(byte + 32)
                lastWasDash = false
            case UInt8(ascii: "-"):
                if lastWasDash { lossy = true } else { bytes.append(byte) }
                lastWasDash = true
            default:
                lossy = true
                if !lastWasDash { bytes.append(UInt8(ascii: "-")) }
                lastWasDash = true
            }
        }
        while bytes.last == UInt8(ascii: "-") {
            bytes.removeLast()
            lossy = true
        }
        if bytes.count > 80 {
            bytes.removeLast(bytes.count - 80)
            while bytes.last == UInt8(ascii: "-") { bytes.removeLast() }
            lossy = true
        }
        let slug = String(decoding: bytes, as: UTF8.self)
        guard lossy || slug.isEmpty else { return slug }
        let digest = shortDigest(text)
        return slug.isEmpty ? digest : slug + "-" + digest
    }

    /// The first 8 hex digits of the text's SHA-256 (the same digits `SHA256Digest.hex` starts with), without
    /// formatting all 32 bytes: reports compute one per account, finding and change.
    static func shortDigest(_ text: String) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        for byte in SHA256.hash(data: Data(text.utf8)).prefix(4) {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
