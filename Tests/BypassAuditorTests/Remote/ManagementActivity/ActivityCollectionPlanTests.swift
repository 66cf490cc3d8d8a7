import Foundation
import Testing

import BypassAuditor
@testable import Core

/// Windows of at most 24 hours, never older than 7 days, a look-back for late blobs, and lost time said out loud.
@Suite("Management Activity API: collection plan")
struct ActivityCollectionPlanTests {
    let now = UTCTimestamp.parse("2026-12-06T12:00:00Z")!

    @Test("first run: everything the API still serves, in contiguous windows of at most 24 hours")
    func firstRun() {
        let plan = ActivityCollectionPlan.make(completedUntil: nil, since: nil, now: now)
        #expect(plan.lost == nil)
        #expect(plan.windows.first?.start == now.addingTimeInterval(-7 * 86_400 + ActivityCollectionPlan.edgeMargin))
        #expect(plan.windows.last?.end == now)
        #expect(plan.windows.allSatisfy { $0.duration <= 86_400 })
        for (earlier, later) in zip(plan.windows, plan.windows.dropFirst()) { #expect(earlier.end == later.start) }
        #expect(plan.windows.count == 7)
    }

    @Test("a later run starts at the checkpoint minus the look-back, so late blobs are listed again")
    func lookBack() {
        let checkpoint = now.addingTimeInterval(-3600)
        let plan = ActivityCollectionPlan.make(completedUntil: checkpoint, since: nil, now: now, lookBack: 4 * 3600)
        #expect(plan.windows == [DateInterval(start: checkpoint.addingTimeInterval(-4 * 3600), end: now)])
        #expect(plan.lost == nil)
    }

    @Test("a checkpoint older than 7 days: the time between it and the API's edge is lost, and reported")
    func staleCheckpoint() throws {
        let checkpoint = now.addingTimeInterval(-10 * 86_400)
        let plan = ActivityCollectionPlan.make(completedUntil: checkpoint, since: nil, now: now)
        let lost = try #require(plan.lost)
        #expect(lost.start == checkpoint)
        #expect(lost.end == now.addingTimeInterval(-7 * 86_400 + ActivityCollectionPlan.edgeMargin))
        #expect(plan.windows.first?.start == lost.end, "no window asks for what the API refuses")
    }

    @Test("--since older than 7 days: lost from --since, collection from the edge")
    func oldSince() throws {
        let since = now.addingTimeInterval(-9 * 86_400)
        let plan = ActivityCollectionPlan.make(completedUntil: nil, since: since, now: now)
        #expect(try #require(plan.lost).start == since)
        #expect(plan.windows.allSatisfy { $0.start >= now.addingTimeInterval(-7 * 86_400) })
    }
}
