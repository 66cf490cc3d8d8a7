import Core
import Foundation

/// Finds a record's UTC day from its raw bytes without parsing it, for coverage counting on the fast path.
///
/// It looks for the time key (`"CreationTime"` in raw records, `"@timestamp"` in ECS documents, `""CreationTime""`
/// inside a CSV AuditData cell), then reads only the `YYYY-MM-DD` after it. A time with a zone offset is parsed in
/// full (the offset can move the day); anything unexpected gives nil, and the caller then parses the record, so the
/// day always agrees with the parsed event's `@timestamp`.
struct RecordDayScanner {
    /// The key searched for (`"CreationTime"`, quotes included).
    let key: ByteNeedle
    private let quote: [UInt8]
    private var lastDate: (UInt64, UInt16) = (0, 0)
    private var lastDay: UTCDay?

    enum Key {
        case creationTime
        case ecsTimestamp
    }

    init(key: Key, csvQuoted: Bool) {
        let quote: [UInt8] = csvQuoted ? [0x22, 0x22] : [0x22]
        let name = key == .creationTime ? "CreationTime" : "@timestamp"
        self.key = ByteNeedle(quote + Array(name.utf8) + quote)
        self.quote = quote
    }

    mutating func day(in record: UnsafeRawBufferPointer) -> UTCDay? {
        guard let base = record.baseAddress, record.count > key.count + 12 else { return nil }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        guard let found = key.firstOffset(in: bytes, length: record.count) else { return nil }
        return day(in: record, keyAt: found)
    }

    /// The day when the time key is already known to start at `keyOffset` in the record.
    mutating func day(in record: UnsafeRawBufferPointer, keyAt keyOffset: Int) -> UTCDay? {
        guard let base = record.baseAddress, keyOffset >= 0, keyOffset + key.count <= record.count else { return nil }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let end = record.count
        var index = keyOffset + key.count
        func skipBlanks() {
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        skipBlanks()
        guard index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        skipBlanks()
        for byte in quote {
            guard index < end, bytes[index] == byte else { return nil }
            index += 1
        }
        let dateStart = index
        guard dateStart + 10 <= end else { return nil }
        // The rest of the value: a zone offset means the full parse decides the day.
        var cursor = dateStart + 10
        var hasOffset = false
        while cursor < end, bytes[cursor] != 0x22 {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { hasOffset = true }
            cursor += 1
            if cursor - dateStart > 40 { return nil }
        }
        guard cursor < end else { return nil }
        if hasOffset {
            let text = String(decoding: UnsafeBufferPointer(start: bytes + dateStart, count: cursor - dateStart), as: UTF8.self)
            return UTCTimestamp.parse(text).map(UTCDay.init(containing:))
        }
        let date = UnsafeRawPointer(bytes + dateStart)
        let signature = (date.loadUnaligned(as: UInt64.self), date.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        if let lastDay, signature == lastDate { return lastDay }
        guard let day = RecordDayScanner.parseDate(bytes + dateStart) else { return nil }
        lastDate = signature
        lastDay = day
        return day
    }

    /// `YYYY-MM-DD` → the day, or nil when the ten bytes are not a real date.
    static func parseDate(_ bytes: UnsafePointer<UInt8>) -> UTCDay? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for index in from..<(from + count) {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), let year = digits(0, 4),
            let month = digits(5, 2), let day = digits(8, 2)
        else { return nil }
        return UTCDay(year: year, month: month, day: day)
    }
}
