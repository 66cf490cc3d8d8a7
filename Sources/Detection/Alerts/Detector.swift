import Core
import Store
import Foundation
import GRDB

/// Runs a rule set over the event store and raises alerts.
///
/// Each rule reads the store from its own watermark (event rowids), so every event is evaluated by every rule once,
/// whenever it arrived. A (rule, event) pair alerts at most once, ever.
///
/// Scheduled runs (`watch` cycles) behave as Elastic runs the rule: a rule evaluates only events inside its
/// look-back window, and raises at most `max_signals` alerts per run. Events outside the window are deferred and
/// alerts over the cap held back, never dropped: held-back alerts are raised first by the next run, whatever their
/// age, and deferred events are evaluated by the first run whose window reaches them or by a catch-up run.
/// A catch-up run (`detect`) evaluates every event not yet evaluated and raises every alert: it exists to catch up.
public struct Detector: Sendable {
    public let database: AuditDatabase
    public let rules: RuleSet
    /// Events read per batch while evaluating.
    public var pageSize = 1000
    /// Called after each batch (a long catch-up over 100,000 events is otherwise silent for many seconds).
    public var progress: (@Sendable (DetectionProgress) -> Void)?

    public init(database: AuditDatabase, rules: RuleSet) {
        self.database = database
        self.rules = rules
    }

    /// Evaluates, raises and records one run. `now` is the run's clock (look-back windows, date math); `ranAt` is
    /// when it really ran (stamped on alerts and the run record).
    public func run(mode: DetectionMode = .catchUp, now: Date = Date(), ranAt: Date = Date()) throws
        -> DetectionRunResult
    {
        let state = try database.read { db in try DetectionState.load(db, rules: rules.rules) }
        var work = state.rules.map { RuleWork(rule: $0.rule, startAfter: $0.startAfter, queryChanged: $0.queryChanged) }

        // Deferred events first: they were read by an earlier run and may now be due.
        for index in work.indices {
            let deferred = state.pending[work[index].rule.ruleID, default: []].filter { $0.reason == .deferred }
            guard !deferred.isEmpty else { continue }
            let events = try database.read { db in try deferred.compactMap { try EventStore.event(id: $0.eventID, db) } }
            for event in events {
                work[index].consider(event, mode: mode, now: now, raisedAt: ranAt, fromPending: true)
            }
        }

        // Then every event stored since each rule's watermark, up to what is stored now.
        let bound = state.maxRowID
        var cursor = work.map(\.startAfter).min() ?? bound
        let first = cursor
        var evaluated = Set<Int64>()
        while cursor < bound {
            let page = try database.read { db in
                try EventStore.events(insertedAfter: cursor, limit: pageSize, db)
            }
            guard let last = page.last else { break }
            for stored in page where stored.rowID <= bound {
                for index in work.indices where stored.rowID > work[index].startAfter {
                    work[index].consider(stored, mode: mode, now: now, raisedAt: ranAt, fromPending: false)
                }
            }
            cursor = last.rowID
            progress?(DetectionProgress(evaluated: Int(min(cursor, bound) - first), total: Int(bound - first)))
        }
        for item in work { evaluated.formUnion(item.evaluatedRowIDs) }

        return try database.write { db in
            try commit(
                db, work: &work, state: state, bound: bound, evaluatedCount: evaluated.count, mode: mode, now: now,
                ranAt: ranAt)
        }
    }

    /// Raises, holds back and defers what `work` found, in one transaction. Each rule's matches are taken out of
    /// `work` and ordered and narrowed in place: a month of 200,000 matches had been held in three copies at once
    /// (the matches, their sorted copy and its filtered copy), with the raised alerts in two more.
    private func commit(
        _ db: Database, work: inout [RuleWork], state: DetectionState, bound: Int64, evaluatedCount: Int,
        mode: DetectionMode, now: Date, ranAt: Date
    ) throws -> DetectionRunResult {
        let runID = try DetectionRunRecords.begin(
            db,
            DetectionRunRow(
                id: 0, ranAt: ranAt, now: now, mode: mode.rawValue, evaluatedThrough: nil, eventsEvaluated: evaluatedCount,
                alertsRaised: 0, heldBack: 0, deferred: 0, ruleSetDigest: rules.digest,
                ruleIDs: rules.rules.map(\.ruleID).sorted()))
        var raised: [Alert] = []
        var outcomes: [RuleRunOutcome] = []
        var totalHeldBack = 0
        var totalDeferred = 0

        for index in work.indices {
            var matches = work[index].matches
            work[index].matches = []
            let item = work[index]
            let rule = item.rule
            let ruleID = rule.ruleID
            let matchedCount = matches.count
            // Held back by earlier runs first (oldest first), then this run's matches in event-time order.
            var candidates = try state.pending[ruleID, default: []].filter { $0.reason == .heldBack }
                .compactMap { try EventStore.event(id: $0.eventID, db) }.map { item.match($0, raisedAt: ranAt) }
            candidates.sort(by: RuleMatch.isEarlier)
            matches.sort(by: RuleMatch.isEarlier)
            // Usually nothing was held back: the matches then become the candidates without being copied.
            if candidates.isEmpty { swap(&candidates, &matches) } else { candidates.append(contentsOf: matches) }
            matches = []
            // Each event once, and none this rule alerted on before: kept in order, compacted in place.
            var seen = Set<String>()
            var kept = 0
            for position in candidates.indices {
                guard let id = candidates[position].eventID, seen.insert(id).inserted,
                    try !AlertRecords.hasAlerted(db, ruleID: ruleID, eventID: id)
                else { continue }
                if kept != position { candidates[kept] = candidates[position] }
                kept += 1
            }
            candidates.removeLast(candidates.count - kept)
            let cap = mode == .scheduled ? rule.maxSignals : Int.max
            let toRaise = candidates.prefix(cap)
            let toHold = candidates.dropFirst(cap)

            // Pending rows are rewritten for this rule: what is still deferred and what is now held back.
            if item.startAfter == 0 {
                // The rule re-read every event: all its pending rows are rebuilt below.
                try DetectionCursor.release(db, ruleID: ruleID)
            } else {
                try DetectionCursor.release(db, ruleID: ruleID, reason: .heldBack)
                for rowID in item.consumedPending {
                    try DetectionCursor.release(db, ruleID: ruleID, eventRowID: rowID)
                }
            }
            for match in toHold {
                try insertPending(db, ruleID: ruleID, match: match, reason: .heldBack, runID: runID)
            }
            for match in item.deferred {
                try insertPending(db, ruleID: ruleID, match: match, reason: .deferred, runID: runID)
            }
            var raisedForRule = 0
            for match in toRaise {
                if let alert = try AlertStore.insertIfNew(db, match.alert, runID: runID) {
                    raised.append(alert)
                    raisedForRule += 1
                }
            }
            let deferredNow = try DetectionCursor.pendingCount(db, ruleID: ruleID, reason: .deferred)
            totalHeldBack += toHold.count
            totalDeferred += deferredNow
            outcomes.append(
                RuleRunOutcome(
                    ruleID: ruleID, ruleName: rule.name, eventsEvaluated: item.evaluatedRowIDs.count,
                    matched: matchedCount, alertsRaised: raisedForRule, heldBack: toHold.count,
                    deferred: deferredNow, maxSignals: rule.maxSignals, restartedForChangedQuery: item.queryChanged))

            try DetectionCursor.advanceWatermark(
                db, ruleID: ruleID, through: bound, queryDigest: item.queryDigest, at: ranAt)
        }

        let evaluatedThrough = try DetectionCursor.evaluatedThrough(db, ruleIDs: rules.rules.map(\.ruleID), bound: bound)
        try DetectionRunRecords.finish(
            db, id: runID, alertsRaised: raised.count, heldBack: totalHeldBack, deferred: totalDeferred,
            evaluatedThrough: evaluatedThrough)
        let summary = DetectionRunSummary(
            id: runID, ranAt: ranAt, now: now, evaluatedThrough: evaluatedThrough, eventsEvaluated: evaluatedCount,
            alertsRaised: raised.count, ruleSetDigest: rules.digest, mode: mode, heldBack: totalHeldBack,
            deferred: totalDeferred, ruleIDs: rules.rules.map(\.ruleID).sorted())
        raised.sort { ($0.eventTime, $0.id) < ($1.eventTime, $1.id) }
        return DetectionRunResult(summary: summary, newAlerts: raised, rules: outcomes)
    }

    private func insertPending(_ db: Database, ruleID: String, match: RuleMatch, reason: PendingReason, runID: Int64)
        throws
    {
        try DetectionCursor.hold(
            db,
            DetectionPendingRow(
                ruleID: ruleID, eventRowID: match.rowID, eventID: match.eventID ?? "", reason: reason, sinceRun: runID))
    }

    /// The alert a rule raises on a stored event. A bypass change's actor, target, outcome and direction are the
    /// fact ingest derived (`StoredEvent.bypassChange`); any other event a rule matches has no direction.
    static func alert(for stored: EventStore.StoredEvent, rule: DetectionRule, raisedAt: Date) -> Alert {
        let event = stored.event
        let change = stored.bypassChange
        return Alert(
            id: 0, ruleID: rule.ruleID, ruleName: rule.name, severity: rule.severity, riskScore: rule.riskScore,
            signal: rule.signal, tenant: change?.tenant ?? event.tenant, eventID: change?.eventID ?? event.id ?? "",
            eventTime: (change.map(\.time) ?? event.timestamp) ?? stored.ingestedAt,
            actor: change.map(\.actor) ?? event.actor, target: change.map(\.identity) ?? event.parameter("Identity"),
            objectID: change.map(\.objectID) ?? event.objectID, outcome: change?.outcome ?? event.outcome,
            direction: change?.direction ?? .unknown, raisedAt: raisedAt, triage: nil)
    }
}

/// Why a (rule, event) pair waits in `detection_pending` (Store owns the vocabulary: it is what the table holds).
typealias PendingReason = DetectionPendingRow.Reason

/// What the store says about each rule before a run.
struct DetectionState {
    struct RuleState {
        var rule: DetectionRule
        /// Evaluate events with rowid above this (0 when the rule is new or its query changed).
        var startAfter: Int64
        /// The rule ran before with another query: it starts over.
        var queryChanged: Bool
    }

    struct Pending {
        var rowID: Int64
        var eventID: String
        var reason: PendingReason
    }

    var rules: [RuleState]
    var pending: [String: [Pending]]
    var maxRowID: Int64

    static func load(_ db: Database, rules: [DetectionRule]) throws -> DetectionState {
        // An empty store has no newest row: every rule is read up to row 0, i.e. nothing.
        let maxRowID = try EventStore.newestRowID(db) ?? 0
        var states: [RuleState] = []
        for rule in rules {
            let watermark = try DetectionCursor.watermark(db, ruleID: rule.ruleID)
            let sameQuery = watermark?.queryDigest == RuleWork.queryDigest(rule)
            states.append(
                RuleState(
                    rule: rule, startAfter: sameQuery ? (watermark?.lastRowID ?? 0) : 0,
                    queryChanged: watermark != nil && !sameQuery))
        }
        var pending: [String: [Pending]] = [:]
        for row in try DetectionCursor.pending(db) {
            pending[row.ruleID, default: []].append(Pending(rowID: row.eventRowID, eventID: row.eventID, reason: row.reason))
        }
        // A rule starting over re-reads every event: its old deferred rows would be read twice.
        for state in states where state.startAfter == 0 {
            pending[state.rule.ruleID]?.removeAll { $0.reason == .deferred }
        }
        return DetectionState(rules: states, pending: pending, maxRowID: maxRowID)
    }
}

/// One rule's share of a run: what it evaluated, matched and deferred.
struct RuleWork {
    let rule: DetectionRule
    let startAfter: Int64
    let queryChanged: Bool
    let queryDigest: String
    var evaluatedRowIDs = Set<Int64>()
    var matches: [RuleMatch] = []
    var deferred: [RuleMatch] = []
    /// Deferred rows from earlier runs that this run evaluated (their pending rows go).
    var consumedPending: [Int64] = []

    init(rule: DetectionRule, startAfter: Int64, queryChanged: Bool) {
        self.rule = rule
        self.startAfter = startAfter
        self.queryChanged = queryChanged
        queryDigest = Self.queryDigest(rule)
    }

    static func queryDigest(_ rule: DetectionRule) -> String {
        SHA256Digest.hex(of: rule.query.description)
    }

    /// Evaluates `stored` now, or defers it when a scheduled run finds it outside the look-back window.
    mutating func consider(
        _ stored: EventStore.StoredEvent, mode: DetectionMode, now: Date, raisedAt: Date, fromPending: Bool
    ) {
        if mode == .scheduled, let time = rule.scheduleTime(of: stored.event) {
            let windowStart = rule.lookBack.resolve(now: now)
            if time < windowStart || time > now {
                if !fromPending { deferred.append(match(stored, raisedAt: raisedAt)) }
                return
            }
        }
        if fromPending { consumedPending.append(stored.rowID) }
        evaluatedRowIDs.insert(stored.rowID)
        if rule.query.matches(stored.event, now: now) { matches.append(match(stored, raisedAt: raisedAt)) }
    }

    /// What this rule keeps of an event it matched or deferred.
    func match(_ stored: EventStore.StoredEvent, raisedAt: Date) -> RuleMatch {
        RuleMatch(
            rowID: stored.rowID, eventID: stored.event.id,
            orderTime: rule.scheduleTime(of: stored.event) ?? stored.event.timestamp ?? stored.ingestedAt,
            alert: Detector.alert(for: stored, rule: rule, raisedAt: raisedAt))
    }
}

/// An event a rule matched (or deferred), kept as what raising its alert needs rather than as the stored event:
/// a catch-up over 200,000 bypass changes held every decoded document in memory until the run committed.
struct RuleMatch {
    var rowID: Int64
    var eventID: String?
    /// The rule's schedule time, else the event time, else when it was ingested.
    var orderTime: Date
    /// The alert raising it stores (its id is given on insert).
    var alert: Alert

    /// Event-time order (the rule's schedule time, then insertion).
    static func isEarlier(_ lhs: RuleMatch, _ rhs: RuleMatch) -> Bool {
        lhs.orderTime != rhs.orderTime ? lhs.orderTime < rhs.orderTime : lhs.rowID < rhs.rowID
    }
}

/// How far a detection run has read the event store: stored events (by row) evaluated of those it will read.
public struct DetectionProgress: Sendable {
    public var evaluated: Int
    public var total: Int
}
