import Foundation
import Testing

import BypassAuditor
@testable import Core

@Suite struct UTCDayTests {
    @Test func roundTripsThroughText() throws {
        for text in ["1970-01-01", "2000-02-29", "2026-10-31", "2100-12-31"] {
            let day = try #require(UTCDay(text))
            #expect(day.description == text)
        }
    }

    @Test func rejectsImpossibleDates() {
        for text in ["2026-02-29", "2100-02-29", "2026-04-31", "2026-1-01", "26-01-01", "2026-01-01T00:00:00Z", "abcd-ef-gh"] {
            #expect(UTCDay(text) == nil, "\(text)")
        }
    }

    @Test func containsTheInstantsOfItsDay() throws {
        let day = try #require(UTCDay("2026-10-21"))
        #expect(UTCDay(containing: day.start) == day)
        #expect(UTCDay(containing: day.endInstant) == day)
        #expect(UTCDay(containing: day.nextStart) == day.advanced(by: 1))
    }

    @Test func countsDaysAcrossMonthsAndYears() throws {
        let first = try #require(UTCDay("2025-12-30"))
        let last = try #require(UTCDay("2026-01-02"))
        #expect(first.distance(to: last) == 3)
        #expect(Array(first...last).map(\.description) == ["2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"])
    }
}
