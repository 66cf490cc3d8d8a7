import Foundation
import Testing

import BypassAuditor
@testable import Core

@Suite("Application: the evaluation window of drift and report")
struct EvaluationWindowTests {
    static func instant(_ text: String) -> Date { UTCTimestamp.parseInstant(text)! }

    @Test("drift: as-of defaults to now and the period to the as-of month through the as-of day")
    func driftDefaults() throws {
        let window = try EvaluationWindow.drift(asOf: nil, period: nil, now: Self.instant("2026-11-20T10:00:00Z"))
        #expect(window.asOf == Self.instant("2026-11-20T10:00:00Z"))
        #expect(window.period.label == "2026-11-01..2026-11-20")
    }

    @Test("drift: with a past period, as-of is the period's end; a future one ends at now")
    func driftPeriod() throws {
        let october = try ReportingPeriod(month: "2026-10")
        let past = try EvaluationWindow.drift(asOf: nil, period: october, now: Self.instant("2026-11-20T10:00:00Z"))
        #expect(past.asOf == october.endInstant)
        let current = try EvaluationWindow.drift(asOf: nil, period: october, now: Self.instant("2026-10-10T00:00:00Z"))
        #expect(current.asOf == Self.instant("2026-10-10T00:00:00Z"))
    }

    @Test("report: the last complete month before the clock, judged at its end")
    func reportDefaults() throws {
        let window = try EvaluationWindow.report(period: nil, clock: Self.instant("2026-11-03T00:00:00Z"))
        #expect(window.period.label == "2026-10")
        #expect(window.asOf == window.period.endInstant)
    }

    @Test("An as-of before the period starts is refused, naming both")
    func asOfBeforePeriod() throws {
        let november = try ReportingPeriod(month: "2026-11")
        #expect {
            try EvaluationWindow.drift(asOf: Self.instant("2026-10-31"), period: november, now: Date())
        } throws: { error in
            "\(error)".contains("before the period 2026-11 starts")
        }
        #expect(throws: EvaluationWindowError.self) {
            try EvaluationWindow.report(period: november, clock: Self.instant("2026-10-15"))
        }
    }
}
