import Core
import Detection
import Foundation
import GRDB

/// The period's alerts as a drift run judges them: every alert as a reference (control FP-5, and the alerts cited
/// beside each change a finding names), and the impairment alerts whole, because their findings quote actor, target
/// and outcome.
public struct PeriodAlerts: Sendable, Hashable {
    /// Every alert of the tenant whose event falls in the period, oldest event first.
    public var references: [AlertReference]
    /// The alerts among them whose signal is an audit impairment (`ImpairmentFindings.signals`), whole.
    public var impairments: [Alert]

    public init(references: [AlertReference] = [], impairments: [Alert] = []) {
        self.references = references
        self.impairments = impairments
    }

    /// The same facts taken from whole alerts (a caller that holds them anyway; tests), sharing their texts.
    public init(_ alerts: [Alert]) {
        references = alerts.map(AlertReference.init)
        impairments = alerts.filter { ImpairmentFindings.signals.contains($0.signal) }
    }

    /// Reads the tenant's alerts of the period: references to every one, and the impairments whole. At 200,000
    /// alerts a month, reading every alert whole was the largest read of a drift run.
    public static func read(_ db: Database, tenant: TenantID, period: ReportingPeriod) throws -> PeriodAlerts {
        // The analyzer narrows alerts to the period up to as-of; asking for the whole period keeps this independent
        // of whether the store's bounds are inclusive.
        let references = try AlertStore.references(db, tenant: tenant, from: period.start, to: period.end)
        let impairments = references.lazy.filter { ImpairmentFindings.signals.contains($0.signal) }.map(\.id)
        return PeriodAlerts(references: references, impairments: try AlertStore.alerts(ids: Array(impairments), db))
    }
}
