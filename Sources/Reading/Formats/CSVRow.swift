/// Splits one RFC 4180 CSV row into its fields (quotes removed, `""` inside quotes read as `"`).
///
/// Hand-written: Foundation has no CSV reader, and the packages available here have none either. Rows come from
/// `CSVRowSplitter`, so a quoted field may hold line breaks.
enum CSVRow {
    static func fields(of row: UnsafeRawBufferPointer) throws(RecordRejection) -> [[UInt8]] {
        let bytes = row.bindMemory(to: UInt8.self)
        var fields: [[UInt8]] = []
        var index = 0
        let count = bytes.count
        while true {
            var field: [UInt8] = []
            if index < count, bytes[index] == UInt8(ascii: "\"") {
                let opening = index
                index += 1
                var closed = false
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(byte)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    field.append(byte)
                    index += 1
                }
                guard closed else {
                    throw RecordRejection(
                        "broken CSV row: the quoted field starting at column \(opening + 1) is never closed")
                }
                // Only spaces may sit between a closing quote and the next separator.
                while index < count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
                if index < count, bytes[index] != UInt8(ascii: ",") {
                    throw RecordRejection(
                        "broken CSV row: unexpected text after the closing quote at column \(index + 1)")
                }
            } else {
                let start = index
                while index < count, bytes[index] != UInt8(ascii: ",") { index += 1 }
                field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
            fields.append(field)
            guard index < count else { break }
            index += 1  // the comma
            if index == count {
                fields.append([])
                break
            }
        }
        return fields
    }
}
