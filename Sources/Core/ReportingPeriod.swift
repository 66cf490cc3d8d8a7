import Foundation

/// The span a drift run or report covers: a calendar month (the default, for the monthly review) or an explicit
/// inclusive range of UTC days.
public struct ReportingPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public let firstDay: UTCDay
    public let lastDay: UTCDay
    /// True when the period is exactly one calendar month, named `YYYY-MM`.
    public let isCalendarMonth: Bool

    public init(from firstDay: UTCDay, through lastDay: UTCDay) throws {
        guard firstDay <= lastDay else { throw PeriodError.reversed(firstDay, lastDay) }
        self.firstDay = firstDay
        self.lastDay = lastDay
        let (year, month, day) = firstDay.components
        isCalendarMonth = day == 1 && lastDay == UTCDay(year: year, month: month, day: UTCDay.daysIn(year: year, month: month))
    }

    /// The calendar month `YYYY-MM`.
    public init(month text: String) throws {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            let first = UTCDay(year: year, month: month, day: 1)
        else { throw PeriodError.badMonth(text) }
        try self.init(from: first, through: first.advanced(by: UTCDay.daysIn(year: year, month: month) - 1))
    }

    /// The calendar month containing `day`.
    public static func month(containing day: UTCDay) -> ReportingPeriod {
        let (year, month, _) = day.components
        let first = UTCDay(year: year, month: month, day: 1)!
        // A month's first day is never after its last.
        return try! ReportingPeriod(from: first, through: first.advanced(by: UTCDay.daysIn(year: year, month: month) - 1))
    }

    /// The last calendar month that has fully ended before `now`: the monthly report's default.
    public static func lastCompleteMonth(before now: Date) -> ReportingPeriod {
        let current = month(containing: UTCDay(containing: now))
        return month(containing: current.firstDay.advanced(by: -1))
    }

    /// The period just before this one: the previous month for a month, else the same number of days before.
    public var previous: ReportingPeriod {
        if isCalendarMonth { return ReportingPeriod.month(containing: firstDay.advanced(by: -1)) }
        let length = firstDay.distance(to: lastDay) + 1
        return try! ReportingPeriod(from: firstDay.advanced(by: -length), through: firstDay.advanced(by: -1))
    }

    public var start: Date { firstDay.start }
    /// Exclusive end: midnight after the last day.
    public var end: Date { lastDay.nextStart }
    /// The last instant of the period: the as-of time of a report on it.
    public var endInstant: Date { lastDay.endInstant }
    public var days: [UTCDay] { Array(firstDay...lastDay) }

    /// The longest period drift and report judge: a year (a leap year's 366 days). Every per-day list (coverage,
    /// evidence, changes) grows with the period; `report --from 0001-01-01 --to 9999-12-31` wrote 250 MB.
    public static let maximumDays = 366

    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    /// `2026-10` for a month, `2026-10-01..2026-10-15` otherwise: also the report folder name.
    public var label: String {
        if isCalendarMonth {
            let (year, month, _) = firstDay.components
            return String(format: "%04d-%02d", year, month)
        }
        return "\(firstDay)..\(lastDay)"
    }

    public var description: String { label }

    public enum PeriodError: Error, CustomStringConvertible {
        case badMonth(String)
        case reversed(UTCDay, UTCDay)

        public var description: String {
            switch self {
            case .badMonth(let text): "'\(text)' is not a month in the form YYYY-MM"
            case .reversed(let from, let to): "the period starts (\(from)) after it ends (\(to))"
            }
        }
    }
}
