import Foundation
import Testing

import BypassAuditor
@testable import Core

@Suite struct ReportingPeriodTests {
    @Test func aMonthCoversEachOfItsDays() throws {
        let october = try ReportingPeriod(month: "2026-10")
        #expect(october.isCalendarMonth)
        #expect(october.label == "2026-10")
        #expect(october.days.count == 31)
        #expect(october.contains(try #require(UTCTimestamp.parse("2026-10-31T23:59:59Z"))))
        #expect(!october.contains(try #require(UTCTimestamp.parse("2026-11-01T00:00:00Z"))))
        #expect(try ReportingPeriod(month: "2028-02").days.count == 29)
    }

    @Test func theDefaultIsTheLastCompleteMonth() throws {
        let now = try #require(UTCTimestamp.parse("2026-11-29T10:00:00Z"))
        #expect(ReportingPeriod.lastCompleteMonth(before: now).label == "2026-10")
        let january = try #require(UTCTimestamp.parse("2027-01-01T00:00:01Z"))
        #expect(ReportingPeriod.lastCompleteMonth(before: january).label == "2026-12")
    }

    @Test func previousOfAMonthIsTheMonthBefore() throws {
        #expect(try ReportingPeriod(month: "2026-03").previous.label == "2026-02")
        #expect(try ReportingPeriod(month: "2026-01").previous.label == "2025-12")
    }

    @Test func aRangeIsInclusiveAndItsPreviousHasTheSameLength() throws {
        let range = try ReportingPeriod(from: try #require(UTCDay("2026-10-11")), through: try #require(UTCDay("2026-10-20")))
        #expect(!range.isCalendarMonth)
        #expect(range.label == "2026-10-11..2026-10-20")
        #expect(range.previous.label == "2026-10-01..2026-10-10")
        let wholeMonth = try ReportingPeriod(from: try #require(UTCDay("2026-10-01")), through: try #require(UTCDay("2026-10-31")))
        #expect(wholeMonth.isCalendarMonth)
    }

    @Test func rejectsBadInput() throws {
        #expect(throws: ReportingPeriod.PeriodError.self) { try ReportingPeriod(month: "2026-13") }
        #expect(throws: ReportingPeriod.PeriodError.self) { try ReportingPeriod(month: "October") }
        #expect(throws: ReportingPeriod.PeriodError.self) {
            try ReportingPeriod(from: UTCDay("2026-10-02")!, through: UTCDay("2026-10-01")!)
        }
    }
}
