import Core
import Drift
import Policy
import Store
import Foundation

/// `drift`: one comparison of the inventory with the register, over an evaluation window.
public enum DriftRun {
    /// What a drift run is asked to judge.
    public struct Request: Sendable {
        public var tenant: String?
        public var allowlistPath: String
        public var asOf: Date?
        public var period: ReportingPeriod?
        /// The clock: the default as-of time and the time the register version is recorded at.
        public var now: Date
        /// Whether the facts read and judged are left for the process's exit to release (`ReleasedAtExit`): set by
        /// the command, which runs once and then ends, never by code that runs drift many times.
        public var releasingFactsAtExit: Bool

        public init(
            tenant: String?, allowlistPath: String, asOf: Date?, period: ReportingPeriod?, now: Date,
            releasingFactsAtExit: Bool = false
        ) {
            self.tenant = tenant
            self.allowlistPath = allowlistPath
            self.asOf = asOf
            self.period = period
            self.now = now
            self.releasingFactsAtExit = releasingFactsAtExit
        }
    }

    /// The result, and the register it was judged against.
    public struct Outcome: Sendable {
        public var result: DriftResult
        public var register: Allowlist
        /// What the user must know about the run itself (a read-only database recorded nothing).
        public var notes: [String]
    }

    /// Resolves the window and the tenant, records the register's version while it gathers the stored facts (one
    /// committed state, `DriftFacts.gather`), and analyses them. Throws `InvalidRegisterError` (after recording the
    /// version) on an invalid register.
    public static func run(_ request: Request, database: AuditDatabase) throws -> Outcome {
        let window = try EvaluationWindow.drift(asOf: request.asOf, period: request.period, now: request.now)
        let choice = try TenantSelection.select(request.tenant, in: database)
        let tenant = choice.tenant
        // Taking the register (its stored parse, or a third of a second of YAML at 5,000 entries when it changed) does
        // not depend on the stored facts, nor they on it: it runs on the alerts' thread once they are read, beside the
        // inventory's assembly.
        let path = request.allowlistPath
        let now = request.now
        let (facts, _, register) = try DriftFacts.gather(
            from: database, tenant: tenant, asOf: window.asOf, period: window.period, alongside: { _ in () },
            thenOnSecondThread: { try RegisterCheckout.load(path: path, into: database, at: now) })
        let judged = DriftAnalyzer.judge(
            DriftInputs(tenant: tenant, asOf: window.asOf, period: window.period, facts: facts, allowlist: register),
            activityOnBothThreads: true)
        // The alerts the findings cite are read by event, among those of the judged state: a drift run never reads
        // a month of alerts.
        var result = try judged.citing(storedIn: database, as: facts.alerts)
        result.tenantNotes = choice.notes
        if request.releasingFactsAtExit {
            ReleasedAtExit.keep(facts)
            ReleasedAtExit.keep(judged)
        }
        return Outcome(
            result: result, register: register,
            notes: [RegisterCheckout.notRecordedNote(path: request.allowlistPath, database: database)].compactMap { $0 })
    }
}
