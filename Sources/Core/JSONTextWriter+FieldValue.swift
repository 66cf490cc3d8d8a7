extension JSONTextWriter {
    /// An event's fields as one compact object, keys in the UTF-8 order `JSONEncoder`'s `.sortedKeys` uses.
    mutating func writeFields(_ fields: [String: FieldValue]) throws {
        bytes.append(UInt8(ascii: "{"))
        let sorted = fields.sorted { Self.keyPrecedes($0.key, $1.key) }
        for (index, field) in sorted.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(field.key)
            bytes.append(UInt8(ascii: ":"))
            try writeFieldValue(field.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// One field value as `FieldValue.encode(to:)` has `JSONEncoder` write it (a non-finite number throws).
    mutating func writeFieldValue(_ value: FieldValue) throws {
        switch value {
        // Scalars go through the slots every other JSON value is written from.
        case .string(let text): try write(.string(text), depth: 0)
        case .integer(let number): try write(.number(String(number)), depth: 0)
        case .double(let number): try write(.number(try JSONSlot.text(of: number)), depth: 0)
        case .bool(let flag): try write(.bool(flag), depth: 0)
        case .list(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try writeFieldValue(item)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }
}
