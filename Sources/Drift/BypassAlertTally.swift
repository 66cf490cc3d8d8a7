import Core
import Detection
import Store
import Foundation
import GRDB

/// What control FP-5 judges of a tenant's alerts over the activity window: which events a bypass-change alert fired
/// on, which bypass alerts nobody triaged, and how far the alerts reach.
///
/// `read` asks the store (its indexes answer; a drift run no longer reads a month of alerts, 200,000 at scale, to
/// count them). `init(_:tenant:window:)` derives the same from alerts at hand, for callers that hold them (a report,
/// tests); a test compares the two on one database.
public struct BypassAlertTally: Sendable, Hashable {
    /// Events in the window on which a bypass-change alert fired.
    public var alertedEvents: Set<EventKey>
    /// Bypass-change and failed-attempt alerts in the window that nobody triaged.
    public var untriagedCount: Int
    /// The first of them in event order, up to `RemediationText.firstFewLimit`.
    public var firstUntriagedIDs: [Int64]
    /// The newest event time among the tenant's alerts in the window, of any signal.
    public var newestEventTime: Date?

    public init(
        alertedEvents: Set<EventKey> = [], untriagedCount: Int = 0, firstUntriagedIDs: [Int64] = [],
        newestEventTime: Date? = nil
    ) {
        self.alertedEvents = alertedEvents
        self.untriagedCount = untriagedCount
        self.firstUntriagedIDs = firstUntriagedIDs
        self.newestEventTime = newestEventTime
    }

    /// The signals whose untriaged alerts FP-5 warns about.
    static let triagedSignals: [DetectionSignal] = [.bypassChange, .bypassFailedAttempt]

    /// The tally of `alerts` (any tenant, any time: those of `tenant` in `window` are counted).
    public init<Tallied: TalliedAlert>(_ alerts: [Tallied], tenant: TenantID, window: ClosedRange<Date>?) {
        self.init()
        guard let window else { return }
        // Sized once: a month's alerts are nearly all bypass changes, and growing by doubling rehashed them each time.
        alertedEvents.reserveCapacity(alerts.count)
        // By position, each alert's fields read in place: a loop over the alerts copied each one out, retaining
        // every text it holds (200,000 at scale).
        let ordered = alerts.inEventOrder()
        for index in ordered.indices where ordered[index].tenant == tenant && window.contains(ordered[index].eventTime) {
            let signal = ordered[index].signal
            if signal == .bypassChange { alertedEvents.insert(EventKey(ordered[index].eventID)) }
            if Self.triagedSignals.contains(signal), !ordered[index].isTriaged {
                if firstUntriagedIDs.count < RemediationText.firstFewLimit { firstUntriagedIDs.append(ordered[index].id) }
                untriagedCount += 1
            }
            let eventTime = ordered[index].eventTime
            if newestEventTime.map({ eventTime > $0 }) ?? true { newestEventTime = eventTime }
        }
    }

    /// The tally of `tenant`'s stored alerts over `window` (nothing when there is no window).
    public static func read(_ db: Database, tenant: TenantID, window: ClosedRange<Date>?) throws -> BypassAlertTally {
        guard let window else { return BypassAlertTally() }
        let untriaged = try AlertRecords.untriaged(
            db, tenant: tenant, signals: triagedSignals.map(\.rawValue), within: window,
            firstFew: RemediationText.firstFewLimit)
        return BypassAlertTally(
            alertedEvents: try AlertRecords.eventKeys(
                db, tenant: tenant, signal: DetectionSignal.bypassChange.rawValue, within: window),
            untriagedCount: untriaged.count, firstUntriagedIDs: untriaged.firstIDs,
            newestEventTime: try AlertRecords.newestEventTime(db, tenant: tenant, within: window))
    }
}

/// What the tally reads of an alert: whole (a report counts the alerts it holds) or a reference (tests).
public protocol TalliedAlert: TenantAlert, RaisedOnEvent {
    var signal: DetectionSignal { get }
    /// Whether anyone has triaged it.
    var isTriaged: Bool { get }
}

extension Alert: TalliedAlert {
    public var isTriaged: Bool { triage != nil }
}

extension AlertReference: TalliedAlert {
    public var isTriaged: Bool { triaged }
}
