import Core
import Foundation

/// Plain-text forms shared by the builder's sentences and every renderer, so all formats read alike.
public enum ReportFormatting {
    /// `2026-10-03T08:15:00.000Z`: `UTCTimestamp.format`, the one form every output uses.
    public static func time(_ date: Date) -> String {
        UTCTimestamp.format(date)
    }

    /// `2026-10-03 08:15 UTC`: for sentences. Cut from `UTCTimestamp.format`, whose time of day is always its last
    /// 14 characters (`THH:MM:SS.mmmZ`), so the two forms always name the same minute.
    public static func shortTime(_ date: Date) -> String {
        let full = UTCTimestamp.format(date)
        return String(full.dropLast(14)) + " " + String(full.dropLast(8).suffix(5)) + " UTC"
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
