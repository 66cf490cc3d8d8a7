import Foundation
import Testing

import BypassAuditor
@testable import Drift
@testable import Inventory

@Suite("Drift: scale")
struct DriftScaleTests {
    typealias F = DriftFixture

    /// A fifth of the target's shape (10,000 accounts, 200,000 bypass changes, 5,000 entries), to keep the suite
    /// fast in debug builds: enough to catch accidental quadratic work. The target itself (< 1 s) is for release
    /// builds; this test with `accountCount = 10_000` measured 0.6 s CPU there (12,144 findings).
    @Test("2,000 accounts with 40,000 changes against 1,000 entries")
    func scale() {
        let accountCount = 2_000
        let start = F.time("2026-02-01T00:00:00Z")
        var accounts: [InventoryAccount] = []
        accounts.reserveCapacity(accountCount)
        for index in 0..<accountCount {
            let name = "svc-\(index)"
            var changes: [BypassChange] = []
            for step in 0..<20 {
                // Two changes a month from February, the last pair in the period (November).
                let time = start.addingTimeInterval(Double(step / 2) * 30 * 86_400 + Double(index % 28) * 86_400 + Double(step % 2) * 3_600)
                changes.append(
                    BypassChange(
                        eventID: "e-\(index)-\(step)", time: time, tenant: F.tenant,
                        actor: step % 9 == 0 ? "mallory@contoso.com" : F.admin, clientIP: nil, identity: name,
                        objectID: nil, direction: step % 2 == 0 ? .enabled : .removed, outcome: .success,
                        originalStatus: nil, kind: step % 2 == 0 ? .enabled : .removed))
            }
            accounts.append(F.account(name, aliases: ["\(name)@contoso.com"], bypassed: index % 3 != 0, changes: changes))
        }
        let entries = (0..<accountCount / 2).map { F.entry(String(format: "AB-%05d", $0), account: "svc-\($0 * 2)@contoso.com") }
        let inputs = F.inputs(accounts: accounts, entries: entries)
        let clock = ContinuousClock()
        var result: DriftResult?
        let cpuBefore = Self.threadCPUSeconds()
        let elapsed = clock.measure { result = DriftAnalyzer.analyze(inputs) }
        let cpu = Self.threadCPUSeconds() - cpuBefore
        #expect(result.map { !$0.findings.isEmpty } == true)
        #expect(elapsed < .seconds(10), "drift took \(elapsed)")
        // CPU time too: on a shared machine the wall time says more about the neighbours than about drift.
        print("drift at scale: \(elapsed) wall, \(cpu) s CPU, \(result?.findings.count ?? 0) findings")
    }

    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
