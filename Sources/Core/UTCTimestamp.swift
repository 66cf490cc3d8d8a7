import Foundation

/// Parsing and printing of the ISO 8601 timestamps audit data uses.
///
/// Hand-written because Foundation's ISO8601DateFormatter rejects the 7-digit fractions Office 365 writes
/// (`2026-11-21T10:44:18.1234567Z`) and zone-less times, which O365 means as UTC.
public enum UTCTimestamp {
    /// Parses `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH:MM|±HHMM]`; no zone means UTC. A bare `YYYY-MM-DD` is midnight.
    public static func parse(_ text: String) -> Date? {
        // The text's own UTF-8 storage, not a copy: drift and reports parse a stored time per alert (200,000 at scale).
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// `parse` of text given as its UTF-8 bytes (a stored column read without making a `String` of it).
    public static func parse(utf8 buffer: UnsafeBufferPointer<UInt8>) -> Date? {
        var end = buffer.count
        while end > 0, buffer[end - 1] == UInt8(ascii: " ") { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: buffer[0..<end])
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        // A scalar, not a `Character`: `Character.asciiValue` goes through the character's string storage, which was
        // most of this function's time (drift and reports parse a stored time per alert: 200,000 at scale).
        func expect(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offsetSeconds = 0
        if index < bytes.count {
            guard expect("T") || expect(" ") else { return nil }
            guard let h = digits(2), expect(":"), let m = digits(2) else { return nil }
            hour = h
            minute = m
            if expect(":") {
                guard let s = digits(2) else { return nil }
                second = s
                if expect(".") || expect(",") {
                    var scale = 0.1
                    var sawDigit = false
                    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                        fraction += Double(bytes[index] - 48) * scale
                        scale /= 10
                        index += 1
                        sawDigit = true
                    }
                    guard sawDigit else { return nil }
                }
            }
            if index < bytes.count {
                if expect("Z") || expect("z") {
                } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                    index += 1
                    guard let zoneHours = digits(2) else { return nil }
                    _ = expect(":")
                    let zoneMinutes = digits(2) ?? 0
                    offsetSeconds = sign * (zoneHours * 3600 + zoneMinutes * 60)
                } else {
                    return nil
                }
            }
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        guard let days = UTCDay.daysSinceEpoch(year: year, month: month, day: day) else { return nil }
        let seconds = Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-11-21T10:44:18.123Z`: millisecond precision, always UTC, the form every output uses.
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let milliseconds = Int(((totalMilliseconds % 1000) + 1000) % 1000)
        let seconds = (totalMilliseconds - Int64(milliseconds)) / 1000
        let day = UTCDay(containing: date)
        let secondOfDay = Int(seconds - Int64(day.daysSinceEpoch) * 86_400)
        let (year, month, dayOfMonth) = day.components
        guard (0...9999).contains(year) else {
            return formatGeneral(day, secondOfDay: secondOfDay, milliseconds: milliseconds)
        }
        // Written digit by digit into the string's own storage: a report at scale formats over a million instants,
        // and joining eight small strings for each was a noticeable share of writing it.
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int, width: Int, at offset: Int) {
                var rest = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, width: 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(dayOfMonth, width: 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, width: 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put((secondOfDay / 60) % 60, width: 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, width: 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(milliseconds, width: 3, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// `format` for a year outside 0...9999 (more digits, or a sign), through `UTCDay`'s own padding.
    private static func formatGeneral(_ day: UTCDay, secondOfDay: Int, milliseconds: Int) -> String {
        day.description + "T" + UTCDay.zeroPadded(secondOfDay / 3600, width: 2) + ":"
            + UTCDay.zeroPadded((secondOfDay / 60) % 60, width: 2) + ":" + UTCDay.zeroPadded(secondOfDay % 60, width: 2)
            + "." + UTCDay.zeroPadded(milliseconds, width: 3) + "Z"
    }

    /// Reads a user-given instant: a full timestamp, or a bare date meaning the *end* of that UTC day
    /// (so `--as-of 2026-11-30` includes everything that happened on the 30th).
    public static func parseInstant(_ text: String) -> Date? {
        if let day = UTCDay(text) { return day.endInstant }
        return parse(text)
    }
}
