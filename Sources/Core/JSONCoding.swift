import Foundation

/// The one JSON convention of every machine-readable output: snake_case keys (`JSONKeyNames`, which keeps `ID`
/// words whole), sorted, UTC timestamps with
/// millisecond precision (`2026-11-21T10:44:18.123Z`). Keeping it in one place keeps the documented schemas stable.
public enum JSONCoding {
    /// Foundation's encoder configured with the convention: the reference `JSONByteEncoder` is held to, byte for byte
    /// (`JSONByteEncoderTests`). Outputs go through `string` and `write`, which use `JSONByteEncoder`.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        let keyNames = SnakeCaseKeyMemo()
        encoder.keyEncodingStrategy = .custom { path in
            let key = path.last!
            if key.intValue != nil { return key }
            return ConvertedKey(stringValue: keyNames.snakeCase(key.stringValue))
        }
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTimestamp.format(date))
        }
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let key = path.last!
            if key.intValue != nil { return key }
            return ConvertedKey(stringValue: JSONKeyNames.camelCase(key.stringValue))
        }
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = UTCTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp: \(text)")
            }
            return date
        }
        return decoder
    }

    /// Encodes `value` as a string (pretty by default) with the shared convention.
    public static func string<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        String(decoding: try JSONByteEncoder.encode(value, pretty: pretty), as: UTF8.self)
    }

    /// `string`'s UTF-8 bytes, handed to `output` a piece at a time without making the string: for a document
    /// written straight to a file or to stdout (`JSONByteEncoder.encode(_:pretty:into:)`).
    public static func write<T: Encodable>(_ value: T, pretty: Bool = true, into output: ([UInt8]) -> Void) throws {
        try JSONByteEncoder.encode(value, pretty: pretty, into: output)
    }
}
