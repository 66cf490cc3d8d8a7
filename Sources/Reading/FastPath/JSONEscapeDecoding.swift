import Core
/// Undoes JSON string escapes in raw record bytes, so the prefilter can look for its literals in what a parser would
/// see: `Set-MailboxAuditBypass\u0041ssociation` is the same string as `Set-MailboxAuditBypassAssociation`, and a line
/// that spells a required literal through escapes must not be skipped unparsed.
///
/// Only lines that contain `\u` come here (the fused line scan finds them), so this need not be fast. It decodes every
/// backslash escape wherever it stands (inside a string or not, which is harmless: it may only add matches), leaves
/// malformed escapes as they are, and writes UTF-8 for `\uXXXX`, combining surrogate pairs.
enum JSONEscapeDecoding {
    /// The two bytes that start a `\uXXXX` escape: lines holding them are decoded before the prefilter decides.
    static let unicodeEscapeMarker = ByteNeedle(Array(#"\u"#.utf8))

    static func decoded(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < count else {
                output.append(byte)
                index += 1
                continue
            }
            let next = bytes[index + 1]
            switch next {
            case UInt8(ascii: "u"):
                guard let unit = hexUnit(bytes, at: index + 2) else {
                    output.append(byte)
                    index += 1
                    continue
                }
                index += 6
                var scalar = UInt32(unit)
                if (0xD800..<0xDC00).contains(unit), index + 1 < count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u"), let low = hexUnit(bytes, at: index + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    index += 6
                }
                output.append(contentsOf: Unicode.Scalar(scalar).map { Array(String($0).utf8) } ?? [byte])
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                output.append(next)
                index += 2
            case UInt8(ascii: "b"): output.append(0x08); index += 2
            case UInt8(ascii: "f"): output.append(0x0C); index += 2
            case UInt8(ascii: "n"): output.append(0x0A); index += 2
            case UInt8(ascii: "r"): output.append(0x0D); index += 2
            case UInt8(ascii: "t"): output.append(0x09); index += 2
            default:
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hexUnit(_ bytes: UnsafeRawBufferPointer, at start: Int) -> UInt16? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = bytes[start + offset].hexDigitValue else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
