import Core
import Detection
import Foundation
import Store

/// A drift result whose findings do not list yet the alerts raised by the changes they cite
/// (`DriftContext.evidence(for:note:)`): `DriftAnalyzer.judge` makes it, `citing` completes it. The one place that
/// says which alerts a finding cites: those of the tenant whose event is the cited change's and falls in the
/// activity window, in event order, each right after its event.
public struct UncitedDriftResult: Sendable {
    private var result: DriftResult
    private let window: ClosedRange<Date>?

    init(result: DriftResult, window: ClosedRange<Date>?) {
        self.result = result
        self.window = window
    }

    /// The events whose alerts the findings cite, each once, sorted: what a drift run reads alerts for.
    public var citedEventIDs: [String] { citedEvents.sorted() }

    private var citedEvents: Set<String> {
        var ids = Set<String>()
        for finding in result.findings {
            for evidence in finding.evidence where evidence.awaitsAlerts { ids.insert(evidence.reference) }
        }
        return ids
    }

    /// The result citing the alerts stored in `database` that `alerts` was read with (`PeriodAlerts.storedThroughID`):
    /// only the alerts of `citedEventIDs` are read, never a month of them, and none raised after that state.
    public func citing(storedIn database: AuditDatabase, as alerts: PeriodAlerts) throws -> DriftResult {
        let eventIDs = citedEventIDs
        let tenant = result.tenant
        let throughID = alerts.storedThroughID
        @Sendable func references(_ part: ArraySlice<String>) throws -> [AlertReference] {
            try database.read { db in
                try AlertStore.references(db, tenant: tenant, raisedOn: Array(part), throughID: throughID)
            }
        }
        // Half the events on each of two connections (thousands of index lookups at scale); `citing` puts the alerts
        // in event order whatever order they come in.
        let split = eventIDs.count / 2
        let (earlier, later) = try Concurrently.both(
            { try references(eventIDs[..<split]) }, { try references(eventIDs[split...]) })
        return citing(earlier + later)
    }

    /// The result, each cited event followed by the alerts it raised among `alerts` (any superset of the alerts of
    /// `citedEventIDs`: other tenants' and other events' alerts are passed over).
    public func citing<Cited: CitedAlert>(_ alerts: [Cited]) -> DriftResult {
        var cited = result
        let wanted = citedEvents
        // By index: `filter` copied each of a report's 200,000 alerts whole to test its event id.
        var wantedAlerts: [Cited] = []
        for index in alerts.indices where wanted.contains(alerts[index].eventID) { wantedAlerts.append(alerts[index]) }
        let raised = AlertsByEvent(DriftContext.judged(wantedAlerts, of: result.tenant, in: window))
        for index in cited.findings.indices where cited.findings[index].evidence.contains(where: \.awaitsAlerts) {
            var evidence: [Evidence] = []
            for var item in cited.findings[index].evidence {
                let awaited = item.awaitsAlerts
                item.awaitsAlerts = false
                evidence.append(item)
                guard awaited else { continue }
                for alert in raised[eventID: item.reference] ?? [] {
                    evidence.append(
                        Evidence(kind: .alert, reference: String(alert.id), time: alert.raisedAt, note: alert.ruleName))
                }
            }
            cited.findings[index].evidence = evidence
        }
        return cited
    }
}
