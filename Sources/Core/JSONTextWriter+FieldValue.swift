extension JSONTextWriter {
    /// An event's fields as one compact object, keys in the UTF-8 order `JSONEncoder`'s `.sortedKeys` uses.
    mutating func writeFields(_ fields: [String: FieldValue]) throws {
        bytes.append(UInt8(ascii: "{"))
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
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
        case .string(let text): writeString(text)
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number): bytes.append(contentsOf: try JSONSlot.text(of: number).utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
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
