import Foundation
import Testing

@testable import BypassAuditor

@Suite("Drift: scale")
struct DriftScaleTests {
    typealias F = DriftFixture

    /// The target's shape (10,000 accounts, 200,000 bypass changes, 5,000 entries); the target itself (< 1 s) is for
    /// release builds and is measured by the benchmark, this only guards against accidental quadratic work.
    @Test("10,000 accounts with 200,000 changes against 5,000 entries")
    func scale() {
        var accounts: [InventoryAccount] = []
        accounts.reserveCapacity(10_000)
        for index in 0..<10_000 {
            let name = "svc-\(index)"
            var changes: [BypassChange] = []
            for step in 0..<20 {
                let time = String(format: "2026-%02d-%02dT%02d:00:00Z", 2 + step / 2, 1 + index % 28, step % 2)
                let actor = step % 9 == 0 ? "mallory@contoso.com" : F.admin
                let direction: BypassDirection = step % 2 == 0 ? .enabled : .removed
                changes.append(F.change("e-\(index)-\(step)", at: time, actor: actor, identity: name, direction: direction))
            }
            accounts.append(F.account(name, aliases: ["\(name)@contoso.com"], bypassed: index % 3 != 0, changes: changes))
        }
        let entries = (0..<5_000).map { F.entry(String(format: "AB-%05d", $0), account: "svc-\($0 * 2)@contoso.com") }
        let inputs = F.inputs(accounts: accounts, entries: entries)
        let clock = ContinuousClock()
        var result: DriftResult?
        let cpuBefore = Self.threadCPUSeconds()
        let elapsed = clock.measure { result = DriftAnalyzer.analyze(inputs) }
        let cpu = Self.threadCPUSeconds() - cpuBefore
        #expect(result.map { !$0.findings.isEmpty } == true)
        #expect(elapsed < .seconds(20), "drift took \(elapsed)")
        // CPU time too: on a shared machine the wall time says more about the neighbours than about drift.
        print("drift at scale: \(elapsed) wall, \(cpu) s CPU, \(result?.findings.count ?? 0) findings")
    }

    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
