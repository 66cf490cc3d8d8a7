import Core
import Foundation

/// `@timestamp` values in the one form every event carries (`UTCTimestamp.format`: UTC, milliseconds, `Z`),
/// milliseconds truncated as Elastic's date processor does.
enum EventTimestamp {
    /// Reads a record time (`CreationTime`, an ECS `@timestamp`): ISO 8601 with up to 7 fraction digits, no zone
    /// meaning UTC; an ECS document may also hold epoch milliseconds as a number.
    static func normalise(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text):
            if let first = text.utf8.first, let last = text.utf8.last, first == 0x20 || last == 0x20 {
                return normalise(text.trimmingCharacters(in: .whitespaces))
            }
            return normalise(text)
        case .integer(let milliseconds):
            return format(wholeSeconds: Double(milliseconds.floorDivided(by: 1000)), milliseconds: Int(milliseconds.floorModulo(1000)))
        case .double(let milliseconds):
            guard milliseconds.isFinite, abs(milliseconds) < 1e17 else { return nil }
            return normalise(.integer(Int64(milliseconds.rounded(.down))))
        default:
            return nil
        }
    }

    /// The fraction is read as digits, never through a Double: `23:59:59.9999999` must stay on its day (a Double
    /// would round it into the next second) and `.001` must stay `.001`.
    static func normalise(_ text: String) -> String? {
        if let fast = normaliseCommonForm(text) { return fast }
        var bytes = Array(text.utf8)
        var milliseconds = 0
        if bytes.count > 19, let dot = bytes[19...].firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }) {
            var end = dot + 1
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            let digits = bytes[(dot + 1)..<end]
            guard !digits.isEmpty else { return nil }
            for index in 0..<3 {
                let digit = index < digits.count ? Int(digits[digits.startIndex + index] - 0x30) : 0
                milliseconds = milliseconds * 10 + digit
            }
            bytes.removeSubrange(dot..<end)
        }
        guard let date = UTCTimestamp.parse(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return format(wholeSeconds: date.timeIntervalSince1970.rounded(), milliseconds: milliseconds)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction][Z]` — what O365 and Elastic write — read and written without Foundation.
    /// Nil for anything else (zones, missing seconds, …), which the general path handles.
    private static func normaliseCommonForm(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == UInt8(ascii: "T") || bytes[10] == 0x20,
                bytes[13] == 0x3A, bytes[16] == 0x3A
            else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for index in from..<(from + count) {
                    let byte = bytes[index]
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2), hour < 24, minute < 60, second < 60,
                UTCDay(year: year, month: month, day: day) != nil
            else { return nil }
            var index = 19
            var milliseconds = 0
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let digitsStart = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > digitsStart else { return nil }
                for position in digitsStart..<(digitsStart + 3) {
                    milliseconds = milliseconds * 10 + (position < index ? Int(bytes[position] - 0x30) : 0)
                }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") { index += 1 }
            guard index == bytes.count else { return nil }
            return render(year: year, month: month, day: day, hour: hour, minute: minute, second: second, milliseconds: milliseconds)
        }
    }

    private static func format(wholeSeconds: Double, milliseconds: Int) -> String {
        let seconds = Int(wholeSeconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = UTCDay(daysSinceEpoch: days).components
        return render(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60, milliseconds: milliseconds)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as `UTCTimestamp.format` writes it (years 0–9999).
    private static func render(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, milliseconds: Int)
        -> String
    {
        guard (0...9999).contains(year) else {
            return UTCTimestamp.format(
                UTCDay(year: year, month: month, day: day).map {
                    $0.start.addingTimeInterval(Double(hour * 3600 + minute * 60 + second) + (Double(milliseconds) + 0.5) / 1000)
                } ?? Date(timeIntervalSince1970: 0))
        }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(0x30 + value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0)
            buffer[4] = 0x2D
            put(month, 2, at: 5)
            buffer[7] = 0x2D
            put(day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(hour, 2, at: 11)
            buffer[13] = 0x3A
            put(minute, 2, at: 14)
            buffer[16] = 0x3A
            put(second, 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(milliseconds, 3, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
