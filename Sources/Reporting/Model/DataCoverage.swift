import Core
import Inventory
import Foundation

/// Audit records ingested for one UTC day.
public struct DayCoverage: Sendable, Hashable, Codable {
    public var day: UTCDay
    public var records: Int

    public init(day: UTCDay, records: Int) {
        self.day = day
        self.records = records
    }
}

/// A run of consecutive days.
public struct DayRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var first: UTCDay
    public var last: UTCDay

    public init(first: UTCDay, last: UTCDay) {
        self.first = first
        self.last = last
    }

    public var days: Int { first.distance(to: last) + 1 }
    public var description: String { first == last ? first.description : "\(first)..\(last)" }
}

/// One imported `Get-MailboxAuditBypassAssociation` snapshot the report relied on.
public struct ReportSnapshot: Sendable, Hashable, Codable {
    public var id: Int64
    public var takenAt: Date
    /// False when the taking time is only the import time.
    public var takenAtGiven: Bool
    public var fileName: String
    public var sha256: String
    public var rows: Int
    public var complete: Bool
    /// True for the latest snapshot taken before the period: the baseline the period starts from.
    public var baseline: Bool

    public init(_ summary: SnapshotSummary, baseline: Bool) {
        id = summary.id
        takenAt = summary.takenAt
        takenAtGiven = summary.takenAtGiven
        fileName = summary.fileName
        sha256 = summary.sha256
        rows = summary.rows
        complete = summary.complete
        self.baseline = baseline
    }
}

/// Which days of the period have audit data, and which snapshots were used.
public struct DataCoverage: Sendable, Hashable, Codable {
    /// Every day from the period's first day through the as-of day, with its record count (0 = no data).
    public var days: [DayCoverage]
    public var daysWithData: Int
    public var daysWithoutData: Int
    /// Runs of days without data.
    public var gaps: [DayRange]
    public var snapshots: [ReportSnapshot]

    public init(days: [DayCoverage], snapshots: [ReportSnapshot]) {
        self.days = days
        daysWithData = days.filter { $0.records > 0 }.count
        daysWithoutData = days.count - daysWithData
        var gaps: [DayRange] = []
        for entry in days where entry.records == 0 {
            if let last = gaps.last, last.last.advanced(by: 1) == entry.day {
                gaps[gaps.count - 1].last = entry.day
            } else {
                gaps.append(DayRange(first: entry.day, last: entry.day))
            }
        }
        self.gaps = gaps
        self.snapshots = snapshots
    }
}
