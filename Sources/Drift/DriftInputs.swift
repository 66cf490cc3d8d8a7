import Core
import Detection
import Inventory
import Policy
import Store
import Foundation

/// Everything one drift run compares, gathered up front so that `DriftAnalyzer` is a pure function of it
/// (tests build these values directly; `gather` reads them from the database).
public struct DriftInputs: Sendable, Hashable {
    public var tenant: TenantID
    /// The moment whose state is judged (accounts, register dates).
    public var asOf: Date
    /// The span whose activity is judged (changes, attempts, coverage, impairments): only its part up to `asOf`.
    public var period: ReportingPeriod
    /// The tenant's inventory at `asOf`.
    public var inventory: InventoryView
    public var allowlist: Allowlist
    /// Audit records read per UTC day (days without any record may be absent).
    public var coverage: [UTCDay: Int]
    /// The tenant's alerts whose events fall in the period (others are ignored).
    public var alerts: PeriodAlerts
    /// Every detection run the database remembers.
    public var detectionRuns: [DetectionRunSummary]
    /// The newest stored event of the tenant (any action) inside the period up to `asOf`, when there is one:
    /// lets control FP-5 tell whether detection has evaluated everything that arrived.
    public var latestEventTime: Date?
    /// Spans `collect` could no longer fetch from the Management Activity API: judged like days without data.
    public var lostCollectionWindows: [LostCollectionWindow]

    public init(
        tenant: TenantID, asOf: Date, period: ReportingPeriod, inventory: InventoryView, allowlist: Allowlist,
        coverage: [UTCDay: Int] = [:], alerts: PeriodAlerts = PeriodAlerts(), detectionRuns: [DetectionRunSummary] = [],
        latestEventTime: Date? = nil, lostCollectionWindows: [LostCollectionWindow] = []
    ) {
        self.lostCollectionWindows = lostCollectionWindows
        self.tenant = tenant
        self.asOf = asOf
        self.period = period
        self.inventory = inventory
        self.allowlist = allowlist
        self.coverage = coverage
        self.alerts = alerts
        self.detectionRuns = detectionRuns
        self.latestEventTime = latestEventTime
    }

    /// The default period of a drift run: from the first day of the as-of month through the as-of day.
    public static func defaultPeriod(asOf: Date) -> ReportingPeriod {
        let day = UTCDay(containing: asOf)
        let month = ReportingPeriod.month(containing: day)
        // The month's first day is never after a day inside it.
        return try! ReportingPeriod(from: month.firstDay, through: day)
    }

    /// The day the register's dates are judged against.
    public var asOfDay: UTCDay { UTCDay(containing: asOf) }

    /// The instants activity kinds look at: the period's start through the earlier of its end and `asOf` (inclusive).
    /// Empty (nil) when `asOf` is before the period starts.
    public var activityWindow: ClosedRange<Date>? { Self.activityWindow(of: period, asOf: asOf) }

    /// `activityWindow` of a run over `period` at `asOf` (the store is asked about this window before the inputs exist).
    public static func activityWindow(of period: ReportingPeriod, asOf: Date) -> ClosedRange<Date>? {
        let last = min(period.endInstant, asOf)
        guard period.start <= last else { return nil }
        return period.start...last
    }

    /// Days of the period that ended at or before `asOf`: a day still in progress is not judged for coverage,
    /// because audit logs reach the tool hours after the fact.
    public var completedPeriodDays: [UTCDay] {
        period.days.filter { $0.endInstant <= asOf }
    }
}
