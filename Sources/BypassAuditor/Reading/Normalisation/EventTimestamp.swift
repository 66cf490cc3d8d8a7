import Foundation

/// `@timestamp` values in the one form every event carries (`UTCTimestamp.format`: UTC, milliseconds, `Z`),
/// milliseconds truncated as Elastic's date processor does.
enum EventTimestamp {
    /// Reads a record time (`CreationTime`, an ECS `@timestamp`): ISO 8601 with up to 7 fraction digits, no zone
    /// meaning UTC; an ECS document may also hold epoch milliseconds as a number.
    static func normalise(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text):
            return normalise(text.trimmingCharacters(in: .whitespaces))
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

    /// Adding half a millisecond keeps `UTCTimestamp.format`'s truncation on the intended millisecond.
    private static func format(wholeSeconds: Double, milliseconds: Int) -> String {
        UTCTimestamp.format(Date(timeIntervalSince1970: wholeSeconds + (Double(milliseconds) + 0.5) / 1000))
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
