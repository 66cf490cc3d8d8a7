import Core
import Foundation

/// Plain-text forms shared by the builder's sentences and every renderer, so all formats read alike.
public enum ReportFormatting {
    /// `2026-10-03T08:15:00.000Z`: `UTCTimestamp.format`, the one form every output uses.
    public static func time(_ date: Date) -> String {
        UTCTimestamp.format(date)
    }

    /// `2026-10-03 08:15 UTC`: for sentences.
    public static func shortTime(_ date: Date) -> String {
        let parts = TimeParts(date)
        var bytes = parts.dayBytes
        bytes.append(UInt8(ascii: " "))
        append(parts.hour, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(parts.minute, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self) + " UTC"
    }

    /// The fields of a UTC instant at millisecond precision, rounded down as `UTCTimestamp.format` does.
    private struct TimeParts {
        var day: UTCDay
        var hour: Int
        var minute: Int
        var second: Int
        var millisecond: Int

        init(_ date: Date) {
            let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
            millisecond = Int(((totalMilliseconds % 1000) + 1000) % 1000)
            let seconds = (totalMilliseconds - Int64(millisecond)) / 1000
            day = UTCDay(containing: date)
            let secondOfDay = Int(seconds - Int64(day.daysSinceEpoch) * 86_400)
            hour = secondOfDay / 3600
            minute = (secondOfDay / 60) % 60
            second = secondOfDay % 60
        }

        var dayBytes: [UInt8] {
            let (year, month, dayOfMonth) = day.components
            var bytes: [UInt8] = []
            bytes.reserveCapacity(24)
            if year < 0 { bytes.append(UInt8(ascii: "-")) }
            ReportFormatting.append(abs(year), width: 4, to: &bytes)
            bytes.append(UInt8(ascii: "-"))
            ReportFormatting.append(month, width: 2, to: &bytes)
            bytes.append(UInt8(ascii: "-"))
            ReportFormatting.append(dayOfMonth, width: 2, to: &bytes)
            return bytes
        }
    }

    /// Appends `value` in decimal, zero-padded to `width` digits.
    private static func append(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if digits.count < width { bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        bytes.append(contentsOf: digits.reversed())
    }

    /// `12 d 4 h`, `3 h 5 min`, `45 min`, `under 1 min`.
    public static func duration(seconds: Int) -> String {
        let minutes = seconds / 60
        let hours = minutes / 60
        let days = hours / 24
        if days > 0 { return hours % 24 == 0 ? "\(days) d" : "\(days) d \(hours % 24) h" }
        if hours > 0 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(minutes % 60) min" }
        if minutes > 0 { return "\(minutes) min" }
        return "under 1 min"
    }

    /// `1 account`, `2 accounts`.
    public static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(value) " + (value == 1 ? singular : (plural ?? singular + "s"))
    }

    /// `a, b and c`.
    public static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// `yes` / `no` / `not checked`, for whether an actor is in `authorized_admins`.
    public static func authorized(_ value: Bool?) -> String {
        switch value {
        case true: "yes"
        case false: "no"
        case nil: "not checked"
        }
    }
}
