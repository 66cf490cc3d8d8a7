import Foundation
import Testing

import BypassAuditor
@testable import Core

@Suite struct UTCTimestampTests {
    @Test(arguments: [
        ("2026-10-21T03:14:07", 1_792_552_447.0),
        ("2026-10-21T03:14:07Z", 1_792_552_447.0),
        ("2026-10-21T03:14:07.1234567Z", 1_792_552_447.1234567),
        ("2026-10-21T05:14:07+02:00", 1_792_552_447.0),
        ("2026-10-20T22:14:07-0500", 1_792_552_447.0),
        ("2026-10-21 03:14:07", 1_792_552_447.0),
        ("2026-10-21", 1_792_540_800.0),
        ("2026-10-21T03:14:07.5Z  ", 1_792_552_447.5),
        (String("x2026-10-21T03:14:07Z".dropFirst()), 1_792_552_447.0),
    ])
    func parsesTheFormsAuditDataUses(text: String, epoch: Double) throws {
        let date = try #require(UTCTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.000_01)
    }

    @Test(arguments: ["", "   ", "2026-13-01T00:00:00", "2026-02-30", "2026-10-21T25:00:00", "21/10/2026", "2026-10-21T03:14:07junk"])
    func rejectsWhatIsNotATimestamp(text: String) {
        #expect(UTCTimestamp.parse(text) == nil)
    }

    @Test func formatsWithMillisecondsInUTC() {
        let date = Date(timeIntervalSince1970: 1_792_552_447.1239)
        #expect(UTCTimestamp.format(date) == "2026-10-21T03:14:07.123Z")
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }

    @Test("four-digit years are written in place, other years keep UTCDay's padding, milliseconds round down")
    func formatsEveryYearRange() {
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: 253_402_300_799.875)) == "9999-12-31T23:59:59.875Z")
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00.000Z")
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: -62_167_219_200)) == "0000-01-01T00:00:00.000Z")
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: 951_782_400.125)) == "2000-02-29T00:00:00.125Z")
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: 1_790_000_000.1239)) == "2026-09-21T14:13:20.123Z")
        #expect(UTCTimestamp.format(Date(timeIntervalSince1970: 1_798_761_599.999_5)) == "2026-12-31T23:59:59.999Z")
    }

    @Test func formattedTimestampsSortAsTime() {
        let earlier = UTCTimestamp.format(Date(timeIntervalSince1970: 1_000_000_000.5))
        let later = UTCTimestamp.format(Date(timeIntervalSince1970: 1_000_000_001))
        #expect(earlier < later)
    }

    @Test func aBareDateAsAnInstantMeansTheEndOfThatDay() throws {
        let instant = try #require(UTCTimestamp.parseInstant("2026-10-31"))
        let lastEvent = try #require(UTCTimestamp.parse("2026-10-31T23:59:59.999Z"))
        let nextDay = try #require(UTCTimestamp.parse("2026-11-01T00:00:00Z"))
        #expect(lastEvent <= instant)
        #expect(instant < nextDay)
    }
}
