import Core
import Detection
import Inventory
import Store
import Foundation
import GRDB

/// The stored facts a drift run compares with the register: everything in `DriftInputs` but the register and
/// the window. `drift` and `report` both read them through `gather`, so both judge the same facts.
public struct DriftFacts: Sendable {
    public var inventory: InventoryView
    public var coverage: [UTCDay: Int]
    public var alerts: PeriodAlerts
    /// The period's alerts whole, read only when asked for (a report lists every one); empty otherwise.
    public var wholeAlerts: [Alert]
    public var detectionRuns: [DetectionRunSummary]
    public var latestEventTime: Date?
    public var lostCollectionWindows: [LostCollectionWindow]

    /// Reads, in one transaction, the tenant's inventory at `asOf`, per-day coverage over the period, the tenant's
    /// alerts of the period (`PeriodAlerts.read`), every detection run, and the newest stored event of the period
    /// (for control FP-5).
    public static func gather(_ db: Database, tenant: TenantID, asOf: Date, period: ReportingPeriod) throws -> DriftFacts {
        var facts = try gatherAllButAlerts(db, tenant: tenant, asOf: asOf, period: period) {
            try InventoryBuilder.view($0, tenant: tenant, asOf: asOf)
        }
        facts.alerts = try PeriodAlerts.read(
            db, tenant: tenant, period: period, window: DriftInputs.activityWindow(of: period, asOf: asOf))
        return facts
    }

    /// `gather`, with the alerts read on a second connection while the rest is read on the first, both seeing the
    /// same committed state (`AuditDatabase.readConcurrently`): the two largest reads of a run overlap. `extra` is
    /// read in the first transaction too, for a caller that needs more facts of the same state (the report's
    /// register history and chain head). With `wholeAlerts`, the alerts are read whole into `wholeAlerts` and
    /// `alerts` counts them, without references (cite from the whole alerts: `DriftAnalyzer.analyze(_:citing:)`).
    public static func gather<Extra>(
        from database: AuditDatabase, tenant: TenantID, asOf: Date, period: ReportingPeriod, wholeAlerts: Bool = false,
        alongside extra: (Database) throws -> Extra
    ) throws -> (facts: DriftFacts, extra: Extra) {
        let (facts, extraValue, _) = try gather(
            from: database, tenant: tenant, asOf: asOf, period: period, wholeAlerts: wholeAlerts, alongside: extra,
            thenOnSecondThread: {})
        return (facts, extraValue)
    }

    /// `gather`, running `after` on the alerts' thread once they are read (`AuditDatabase.readConcurrently`): work
    /// independent of the facts (drift's register) then shares the two cores with the inventory read rather than
    /// taking a third of them from it.
    public static func gather<Extra, After: Sendable>(
        from database: AuditDatabase, tenant: TenantID, asOf: Date, period: ReportingPeriod, wholeAlerts: Bool = false,
        alongside extra: (Database) throws -> Extra, thenOnSecondThread after: @escaping @Sendable () throws -> After
    ) throws -> (facts: DriftFacts, extra: Extra, after: After) {
        let window = DriftInputs.activityWindow(of: period, asOf: asOf)
        let split: BypassChangeStore.Split = wholeAlerts ? .whole : .threeFifths
        // Every change the first thread read, handed to the second once both parts are in (a report's, which shares
        // their event ids with the whole alerts there).
        let records = HandOver<StoredBypassChangeList>()
        // The second thread reads the later part of the changes and hands it over before the alerts, so the two
        // largest reads of a run share the cores. A report's second thread then reads every alert whole, counts
        // them and shares their event ids, longer than drift's, so it takes none of the changes
        // (`BypassChangeStore.Split`).
        let ((facts, extraValue), alerts, afterValue) = try database.readConcurrently(
            { db, laterChanges in
                (
                    try gatherAllButAlerts(db, tenant: tenant, asOf: asOf, period: period) {
                        try InventoryBuilder.view(
                            $0, tenant: tenant, asOf: asOf, split: split, laterChanges: laterChanges,
                            assemblingOnTwoThreads: !wholeAlerts, records: { if wholeAlerts { records.give(.success($0)) } })
                    },
                    try extra(db)
                )
            },
            { db, handOver -> AlertsRead in
                handOver(try BypassChangeStore.changes(db, tenant: tenant, part: .later, split: split))
                guard wholeAlerts else {
                    return AlertsRead(
                        counted: try PeriodAlerts.read(db, tenant: tenant, period: period, window: window), whole: [],
                        shared: true)
                }
                var whole = try AlertStore.alerts(db, tenant: tenant, from: period.start, to: period.end)
                // Shared and counted here, while the first thread puts the inventory together: both were a tenth of a
                // report's serial work at scale. The changes are there unless this read outran the first thread's
                // (or the pair is read in one transaction, this read first): they are shared once both reads end.
                let shared = records.valueIfGiven().map { records in Self.shareEventIDs(of: &whole, with: records) } != nil
                return AlertsRead(
                    counted: PeriodAlerts(counting: whole, tenant: tenant, window: window), whole: whole, shared: shared)
            },
            thenOnSecondThread: after)
        var complete = facts
        complete.alerts = alerts.counted
        complete.wholeAlerts = alerts.whole
        if !alerts.shared, let records = records.valueIfGiven() {
            Self.shareEventIDs(of: &complete.wholeAlerts, with: records)
        }
        return (complete, extraValue, afterValue)
    }

    /// What the second thread of `gather` read of the alerts: counted, whole when asked for, and whether their event
    /// ids already share the changes' texts.
    private struct AlertsRead: Sendable {
        var counted: PeriodAlerts
        var whole: [Alert]
        var shared: Bool
    }

    /// Points each whole alert's event id at the copy of the same text `records` hold (which the inventory's changes
    /// and attempts hold too). The two reads decode every event id separately, and a month's bypass alerts fire on the
    /// month's changes: at 200,000 of each the second copies were 16 MB of a report's peak memory. Sharing changes no
    /// value, only where it is kept, so the copies shared with may be from any read.
    ///
    /// Both lists are in event order (the alerts by event time, then id: `AlertRecords.forEachAlert`; the changes by
    /// time, then insertion), so they are walked side by side and an alert is compared only with the changes of its
    /// instant, in place of a set of every change's id (0.15 s of a report at scale). At most `sameInstantProbes` of
    /// them: an alert past that keeps its own copy, so many changes at one instant cannot make this quadratic.
    static func shareEventIDs(of alerts: inout [Alert], with records: StoredBypassChangeList) {
        var cursor = records.startIndex
        for index in alerts.indices {
            let time = alerts[index].eventTime
            // Changes without a time come first (`StoredBypassChange.isEarlier`); an alert's event has one.
            while cursor < records.endIndex, records[cursor].fact.time.map({ $0 < time }) ?? true { cursor += 1 }
            var probe = cursor
            while probe < records.endIndex, probe - cursor < sameInstantProbes, records[probe].fact.time == time {
                if records[probe].fact.eventID == alerts[index].eventID {
                    alerts[index].eventID = records[probe].fact.eventID
                    break
                }
                probe += 1
            }
        }
    }

    /// How many changes of one instant `shareEventIDs(of:with:)` compares an alert with.
    static let sameInstantProbes = 64

    /// Everything but the alerts, the inventory through `readInventory` (read last, so the small reads do not wait
    /// for the later part of the changes another thread hands over).
    private static func gatherAllButAlerts(
        _ db: Database, tenant: TenantID, asOf: Date, period: ReportingPeriod,
        inventory readInventory: (Database) throws -> InventoryView
    ) throws -> DriftFacts {
        let coverage = try CoverageStore.recordsPerDay(db, from: period.firstDay, through: period.lastDay)
        let detectionRuns = try AlertStore.detectionRuns(db)
        let latestEventTime = try EventStore.newestEventTime(
            db, tenant: tenant, from: period.start, through: min(period.endInstant, asOf))
        let lostCollectionWindows = try CollectionGapStore.lostWindows(db, tenant: tenant, from: period.start, to: period.end)
        let inventory = try readInventory(db)
        return DriftFacts(
            inventory: inventory, coverage: coverage, alerts: PeriodAlerts(), wholeAlerts: [],
            detectionRuns: detectionRuns, latestEventTime: latestEventTime, lostCollectionWindows: lostCollectionWindows)
    }

}
