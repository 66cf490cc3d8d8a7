import Core
import Detection
import Foundation
import Store
import GRDB

/// The period's alerts as a drift run judges them: the tally control FP-5 judges, the impairment alerts whole
/// (their findings quote actor, target and outcome), and, when the caller holds them anyway, every alert as a
/// reference, from which findings cite the alerts of the changes they name.
///
/// A drift run does not hold every alert: it reads the tally and the impairments (`read`), judges, and then reads
/// the alerts of the events its findings cite (`UncitedDriftResult.citedEventIDs`), up to `storedThroughID`.
public struct PeriodAlerts: Sendable, Hashable {
    /// Every alert of the tenant whose event falls in the period, oldest event first, when the caller read them all
    /// (a report lists them); empty in a drift run, which reads only the cited ones.
    public var references: [AlertReference]
    /// The alerts of the period whose signal is an audit impairment (`ImpairmentFindings.signals`), whole.
    public var impairments: [Alert]
    /// FP-5's questions, answered over the activity window.
    public var tally: BypassAlertTally
    /// The newest alert id of the stored state these were read from: the alerts findings cite are read up to it, so
    /// an alert raised since (a `watch` beside the run) is not cited by a result that did not judge it.
    public var storedThroughID: Int64

    public init(
        references: [AlertReference] = [], impairments: [Alert] = [], tally: BypassAlertTally = BypassAlertTally(),
        storedThroughID: Int64 = 0
    ) {
        self.references = references
        self.impairments = impairments
        self.tally = tally
        self.storedThroughID = storedThroughID
    }

    /// The same facts taken from whole alerts (a report holds the month's alerts anyway; tests), sharing their texts:
    /// the tally is counted over `tenant`'s alerts in `window` (`BypassAlertTally(_:tenant:window:)`, which a test
    /// holds to the store's count). Counted by the store instead, its 200,000 event ids were copies, on the
    /// alerts' thread, that took a report past 256 MB.
    public init(_ alerts: [Alert], tenant: TenantID, window: ClosedRange<Date>?) {
        self.init(counting: alerts, tenant: tenant, window: window)
        references = alerts.map(AlertReference.init)
    }

    /// `init(_:tenant:window:)` without the references, for a caller that cites from the whole alerts it holds
    /// (`DriftAnalyzer.analyze(_:citing:)`): a report, which made them only to let them go, 200,000 at scale.
    public init(counting alerts: [Alert], tenant: TenantID, window: ClosedRange<Date>?) {
        self.init(
            impairments: alerts.filter { ImpairmentFindings.signals.contains($0.signal) },
            tally: BypassAlertTally(alerts, tenant: tenant, window: window),
            storedThroughID: alerts.reduce(0) { max($0, $1.id) })
    }

    /// Reads what a drift run judges of the tenant's alerts of the period: the tally over `window` and the
    /// impairments whole, never every alert.
    public static func read(_ db: Database, tenant: TenantID, period: ReportingPeriod, window: ClosedRange<Date>?)
        throws -> PeriodAlerts
    {
        // The analyzer narrows impairments to the window; asking for the whole period keeps this independent of
        // whether the store's bounds are inclusive.
        PeriodAlerts(
            impairments: try AlertStore.alerts(
                db, tenant: tenant, signals: ImpairmentFindings.signals.sorted { $0.rawValue < $1.rawValue },
                from: period.start, to: period.end),
            tally: try BypassAlertTally.read(db, tenant: tenant, window: window),
            storedThroughID: try AlertRecords.newestID(db))
    }
}
