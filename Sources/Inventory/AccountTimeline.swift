import Foundation

/// One dated statement about an account's bypass state: a successful change event or a snapshot row. (Absence from
/// a snapshot is never one: it cannot turn a logged bypass off.)
struct StateFact {
    enum Origin: Hashable {
        /// Index into the assembly's records.
        case event(Int)
        /// Snapshot index and row index into the assembly's snapshots.
        case snapshotRow(snapshot: Int, row: Int)
    }

    var time: Date
    var bypassEnabled: Bool
    var origin: Origin
    /// Ties at the same instant: events first (a snapshot observes their result), then by position.
    var tieBreak: (Int, Int, Int)

    var isEvent: Bool {
        if case .event = origin { return true }
        return false
    }

    static func isEarlier(_ lhs: StateFact, _ rhs: StateFact) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        return lhs.tieBreak < rhs.tieBreak
    }
}

/// An account's dated facts in time order, and what they say at any moment.
struct AccountTimeline {
    /// Every fact, oldest first.
    let facts: [StateFact]
    /// Event facts only: the log-derived state snapshots are reconciled with.
    let eventFacts: [StateFact]
    /// What each change event did, in the light of the facts before it (enabled, re-enabled, removed).
    let kindOfRecord: [Int: ChangeKind]

    init(facts unsorted: [StateFact]) {
        // Facts arrive in time order per source; sorting is needed only where sources interleave.
        facts =
            zip(unsorted, unsorted.dropFirst()).allSatisfy { !StateFact.isEarlier($1, $0) }
            ? unsorted : unsorted.sorted(by: StateFact.isEarlier)
        // Without snapshot facts both lists are the same: share the storage (at 200,000 changes a copy is 20 MB).
        eventFacts = facts.allSatisfy(\.isEvent) ? facts : facts.filter(\.isEvent)
        var kinds: [Int: ChangeKind] = [:]
        var everEnabled = false
        var current: Bool?
        for fact in facts {
            if case .event(let record) = fact.origin {
                if fact.bypassEnabled {
                    // Enabled again after a removal (by event or seen in a snapshot) of an earlier bypass.
                    kinds[record] = everEnabled && current == false ? .reenabled : .enabled
                } else {
                    kinds[record] = .removed
                }
            }
            if fact.bypassEnabled { everEnabled = true }
            current = fact.bypassEnabled
        }
        kindOfRecord = kinds
    }

    /// The state at `instant` and the run of consecutive facts with that state that ends with the latest fact at
    /// or before it (the run's first fact is when the state began). Nil when no fact is that old.
    func state(at instant: Date) -> (bypassEnabled: Bool, run: ArraySlice<StateFact>)? {
        let end = AccountTimeline.countAtOrBefore(instant, in: facts)
        guard end > 0 else { return nil }
        let state = facts[end - 1].bypassEnabled
        var start = end - 1
        while start > 0, facts[start - 1].bypassEnabled == state { start -= 1 }
        return (state, facts[start..<end])
    }

    /// The state the logs alone give at `instant`, with the event fact behind it.
    func eventState(at instant: Date) -> StateFact? {
        let end = AccountTimeline.countAtOrBefore(instant, in: eventFacts)
        return end > 0 ? eventFacts[end - 1] : nil
    }

    /// Whether any fact is at or before `instant`.
    func hasFact(atOrBefore instant: Date) -> Bool {
        facts.first.map { $0.time <= instant } ?? false
    }

    /// The number of facts at or before `instant` (facts are sorted by time).
    private static func countAtOrBefore(_ instant: Date, in facts: [StateFact]) -> Int {
        var low = 0
        var high = facts.count
        while low < high {
            let middle = (low + high) / 2
            if facts[middle].time <= instant { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
