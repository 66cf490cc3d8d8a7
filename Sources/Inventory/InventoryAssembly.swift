import Core
import Store
import Foundation

/// Puts records and snapshots of one tenant together into an `InventoryView` at one moment.
struct InventoryAssembly: Sendable {
    let tenant: TenantID
    let asOf: Date
    let records: StoredBypassChangeList
    let snapshots: [SnapshotStore.StoredSnapshot]

    /// Per observation source, the account index the resolver gave it.
    private var accountOfRecord: [Int?] = []
    private var accountOfRow: [[Int?]] = []
    private let resolver: IdentityResolver

    init(tenant: TenantID, asOf: Date, records: StoredBypassChangeList, snapshots: [SnapshotStore.StoredSnapshot]) {
        self.tenant = tenant
        self.asOf = asOf
        self.records = records
        self.snapshots = snapshots
        // Records of one account repeat the same Identity and ObjectId: each distinct pair is one observation.
        struct NamePair: Hashable {
            var identity: String?
            var objectID: String?
        }
        var observationOfPair: [NamePair: Int] = [:]
        var observations: [IdentityResolver.Observation] = []
        var observationOfRecord: [Int] = []
        observationOfRecord.reserveCapacity(records.count)
        // By index, field by field: a `StoredBypassChange` copied out whole retains and releases every text it holds
        // (200,000 records at scale, in each loop here).
        for index in records.indices {
            let identity = records[index].fact.identity
            let objectID = records[index].fact.objectID
            let pair = NamePair(identity: identity, objectID: objectID)
            if let observation = observationOfPair[pair] {
                observationOfRecord.append(observation)
                continue
            }
            var seen = Set<String>()
            var names: [AccountName] = []
            for text in [identity, objectID].compactMap({ $0 }) {
                for name in AccountName.names(in: text) where seen.insert(name.key).inserted { names.append(name) }
            }
            observationOfPair[pair] = observations.count
            observationOfRecord.append(observations.count)
            observations.append(IdentityResolver.Observation(names: names))
        }
        let recordObservations = observations.count
        for snapshot in snapshots {
            observations += snapshot.rows.map { IdentityResolver.Observation(names: $0.names) }
        }
        resolver = IdentityResolver(tenant: tenant, observations: observations)
        accountOfRecord = observationOfRecord.map { resolver.accountOfObservation[$0] }
        var offset = recordObservations
        for snapshot in snapshots {
            accountOfRow.append(Array(resolver.accountOfObservation[offset..<(offset + snapshot.rows.count)]))
            offset += snapshot.rows.count
        }
    }

    /// The inventory. `onTwoThreads`: the accounts are put together in two runs, the later on a second thread; its
    /// accounts then keep that thread's allocator arena for as long as they live, so a caller that keeps the inventory
    /// while it does more (a report renders it) puts it together on the calling thread alone.
    func view(onTwoThreads: Bool = false) -> InventoryView {
        let accountCount = resolver.accounts.count
        // Each account's records and snapshot rows, in their order: every account is then put together on its own.
        var recordCount = Array(repeating: 0, count: accountCount)
        var unassigned: [Int] = []
        for index in records.indices {
            if let account = accountOfRecord[index] { recordCount[account] += 1 } else { unassigned.append(index) }
        }
        var recordsOf: [[Int]] = Self.lists(reserving: recordCount)
        for index in records.indices {
            if let account = accountOfRecord[index] { recordsOf[account].append(index) }
        }
        var rowsOf: [[SnapshotRowIndex]] = Array(repeating: [], count: accountCount)
        for (snapshotIndex, rows) in accountOfRow.enumerated() {
            for (rowIndex, account) in rows.enumerated() {
                if let account { rowsOf[account].append(SnapshotRowIndex(snapshot: snapshotIndex, row: rowIndex)) }
            }
        }
        let visibleSnapshots = snapshots.indices.filter { snapshots[$0].summary.takenAt <= asOf }
        let completeVisible = visibleSnapshots.filter { snapshots[$0].summary.complete }.map { snapshotIndex in
            (snapshot: snapshotIndex, present: Set(accountOfRow[snapshotIndex].compactMap { $0 }))
        }

        let layout = AccountLayout(
            recordsOf: recordsOf, rowsOf: rowsOf, visibleSnapshots: Set(visibleSnapshots), completeVisible: completeVisible)
        let parts: [AccountPart]
        if onTwoThreads {
            // Two runs of about as many records each, the later on a second thread: putting 200,000 changes together
            // was a third of a drift run's serial work at scale. Each run names the tenant in every change with a
            // copy of its own (`TenantID.ownCopy`).
            let split = Self.balancedSplit(recordCount)
            let assembly = self
            let (earlier, later) = Concurrently.both(
                { assembly.parts(ofAccounts: 0..<split, layout: layout, tenant: assembly.tenant.ownCopy) },
                { assembly.parts(ofAccounts: split..<accountCount, layout: layout, tenant: assembly.tenant.ownCopy) })
            parts = earlier + later
        } else {
            parts = self.parts(ofAccounts: 0..<accountCount, layout: layout, tenant: tenant)
        }
        let timelines = parts.map(\.timeline)
        var accounts = parts.compactMap(\.account)
        var indeterminate = unassigned.filter { records[$0].effectiveTime <= asOf }.map {
            change(at: $0, kind: .indeterminate, tenant: tenant)
        }
        for part in parts { indeterminate += part.indeterminate }
        accounts.sort { ($0.displayName.lowercased(), $0.id) < ($1.displayName.lowercased(), $1.id) }

        let present = Set(accounts.map(\.id))
        let ambiguities = resolver.ambiguities.compactMap { ambiguity -> IdentityAmbiguity? in
            let listed = ambiguity.accounts.filter(present.contains)
            guard listed.count > 1 else { return nil }
            var result = ambiguity
            result.accounts = listed
            return result
        }
        let displayNameOf = Dictionary(accounts.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        let discrepancies = reconcile(
            snapshotIndices: visibleSnapshots, timelines: timelines, displayNameOf: displayNameOf)
        // A bypass still on that a later snapshot says is off (by a False row the logs contradict, or by absence)
        // stays listed, marked as disputed by those snapshots.
        for index in accounts.indices where accounts[index].bypassEnabled {
            let since = accounts[index].since ?? .distantPast
            accounts[index].disputedBy = discrepancies.filter {
                $0.kind == .mismatch && $0.account == accounts[index].id && $0.snapshotState == false
                    && $0.takenAt >= since
            }.map(\.snapshotID)
        }

        return InventoryView(
            tenant: tenant, asOf: asOf, accounts: accounts, ambiguities: ambiguities, discrepancies: discrepancies,
            indeterminateChanges: indeterminate.sorted { ($0.time, $0.eventID) < ($1.time, $1.eventID) },
            snapshots: visibleSnapshots.map { snapshots[$0].summary })
    }

    /// Where an account's facts sit: its records and snapshot rows, in their order, and the snapshots it is judged
    /// against.
    private struct AccountLayout: Sendable {
        var recordsOf: [[Int]]
        var rowsOf: [[SnapshotRowIndex]]
        var visibleSnapshots: Set<Int>
        /// Complete snapshots taken by as-of, in order, with the accounts each lists.
        var completeVisible: [(snapshot: Int, present: Set<Int>)]
    }

    private struct SnapshotRowIndex: Sendable {
        var snapshot: Int
        var row: Int
    }

    /// One account put together: its timeline, the account as listed (nil when nothing up to as-of shows it), and
    /// its records that cannot be placed on its timeline.
    private struct AccountPart: Sendable {
        var timeline: AccountTimeline
        var account: InventoryAccount?
        var indeterminate: [BypassChange]
    }

    /// The first account of the second run: where the records before it come nearest to half of all (on a tie, and
    /// when there are none, the calling thread keeps the more).
    static func balancedSplit(_ recordCount: [Int]) -> Int {
        let total = recordCount.reduce(0, +)
        var before = 0
        for (index, count) in recordCount.enumerated() {
            // This account would take the first run past half: stop before it or after it, whichever is nearer.
            if 2 * (before + count) > total {
                return total - 2 * before < 2 * (before + count) - total ? index : index + 1
            }
            before += count
        }
        return recordCount.count
    }

    /// The accounts at `indices`, put together. Every timeline first, then every account's lists: made account by
    /// account, the timelines (let go when the view is made) lay between the lists the inventory keeps, and the
    /// memory they left could not be handed back (a report's peak grew by 25 MB at scale).
    private func parts(ofAccounts indices: Range<Int>, layout: AccountLayout, tenant: TenantID) -> [AccountPart] {
        let timelines = indices.map { timeline(records: layout.recordsOf[$0], rows: layout.rowsOf[$0]) }
        return zip(indices, timelines).map { index, timeline in
            part(ofAccount: index, timeline: timeline, layout: layout, tenant: tenant)
        }
    }

    private func part(ofAccount index: Int, timeline: AccountTimeline, layout: AccountLayout, tenant: TenantID)
        -> AccountPart
    {
        let recordIndices = layout.recordsOf[index]
        let rows = layout.rowsOf[index]

        var indeterminate: [BypassChange] = []
        var changes: [BypassChange] = []
        changes.reserveCapacity(recordIndices.count)
        var attempts: [BypassChange] = []
        var seenByEvent = false
        for record in recordIndices where records[record].effectiveTime <= asOf {
            seenByEvent = true
            if records[record].fact.time == nil {
                let entry = change(at: record, kind: .indeterminate, tenant: tenant)
                changes.append(entry)
                indeterminate.append(entry)
            } else if !records[record].fact.succeeded {
                attempts.append(change(at: record, kind: .failedAttempt, tenant: tenant))
            } else if let kind = timeline.kindOfRecord[record] {
                changes.append(change(at: record, kind: kind, tenant: tenant))
            } else {
                let entry = change(at: record, kind: .indeterminate, tenant: tenant)
                changes.append(entry)
                indeterminate.append(entry)
            }
        }

        var observations: [SnapshotObservation] = []
        var latestRow: SnapshotRow?
        for position in rows where layout.visibleSnapshots.contains(position.snapshot) {
            let snapshot = snapshots[position.snapshot]
            let row = snapshot.rows[position.row]
            observations.append(
                SnapshotObservation(
                    snapshotID: snapshot.summary.id, takenAt: snapshot.summary.takenAt,
                    bypassEnabled: row.bypassEnabled, name: row.name, row: row.row))
            if row.name != nil { latestRow = row }
        }
        // Absence from a complete snapshot is shown, but is no state fact: it never turns a logged bypass off (the
        // export may be truncated or filtered however the admin labelled it); reconciliation reports the dispute.
        for complete in layout.completeVisible where !complete.present.contains(index) {
            let summary = snapshots[complete.snapshot].summary
            guard timeline.hasFact(atOrBefore: summary.takenAt) else { continue }
            observations.append(
                SnapshotObservation(
                    snapshotID: summary.id, takenAt: summary.takenAt, bypassEnabled: false, name: nil, row: nil,
                    absent: true))
        }
        observations.sort { ($0.takenAt, $0.snapshotID) < ($1.takenAt, $1.snapshotID) }
        guard seenByEvent || !observations.isEmpty else {
            return AccountPart(timeline: timeline, account: nil, indeterminate: indeterminate)
        }

        let identity = resolver.accounts[index]
        let current = timeline.state(at: asOf)
        let run = current?.run ?? []
        let first = run.first
        let sinceRecord = first.flatMap { fact -> StoredBypassChange? in
            if case .event(let record) = fact.origin { return records[record] }
            return nil
        }
        let kinds = Set(run.map(\.isEvent))
        let source: StateSource =
            kinds.count == 2 ? .both : kinds.contains(true) ? .events : kinds.contains(false) ? .snapshot
            : seenByEvent ? .events : .snapshot
        let names = InventoryAssembly.preferredNames(
            identity: identity, changes: changes, attempts: attempts, latestRow: latestRow)
        let account = InventoryAccount(
            id: identity.id, displayName: names.display, exchangeName: names.exchange,
            guid: identity.guids.first, names: identity.names, bypassEnabled: current?.bypassEnabled ?? false,
            since: first?.time, setBy: sinceRecord?.actor, lastEventID: changes.last?.eventID,
            source: source, changes: changes, attempts: attempts, snapshotObservations: observations,
            sinceEventID: sinceRecord?.eventID, guids: identity.guids)
        return AccountPart(timeline: timeline, account: account, indeterminate: indeterminate)
    }

    /// The account's timeline: the state its successful, dated records and its snapshot rows state, in that order.
    private func timeline(records recordIndices: [Int], rows: [SnapshotRowIndex]) -> AccountTimeline {
        var facts: [StateFact] = []
        facts.reserveCapacity(recordIndices.count + rows.count)
        for record in recordIndices {
            guard let time = records[record].fact.time, records[record].fact.succeeded else { continue }
            let state: Bool
            switch records[record].fact.direction {
            case .enabled: state = true
            case .removed: state = false
            case .unknown: continue
            }
            facts.append(StateFact(time: time, bypassEnabled: state, origin: .event(record), tieBreak: (0, record, 0)))
        }
        for position in rows {
            let snapshot = snapshots[position.snapshot]
            guard let state = snapshot.rows[position.row].bypassEnabled else { continue }
            // Duplicate rows for one account are reported at import; when they disagree, True is ordered last,
            // so the snapshot never resolves its own doubt towards "not bypassed".
            facts.append(
                StateFact(
                    time: snapshot.summary.takenAt, bypassEnabled: state,
                    origin: .snapshotRow(snapshot: position.snapshot, row: position.row),
                    tieBreak: (1, position.snapshot, (state ? snapshot.rows.count : 0) + position.row)))
        }
        return AccountTimeline(facts: facts)
    }

    // MARK: - Facts

    /// One empty list per account, each reserved for its count: lists grown by doubling held up to twice their
    /// size (20 MB over for each of the change lists and the timeline facts at 200,000 changes).
    private static func lists<Element>(reserving counts: [Int]) -> [[Element]] {
        counts.map { count in
            var list: [Element] = []
            list.reserveCapacity(count)
            return list
        }
    }

    private func change(at index: Int, kind: ChangeKind, tenant: TenantID) -> BypassChange {
        // Field by field from the lent record: the fact copied out whole retained (and released) every text it holds.
        BypassChange(
            eventID: records[index].fact.eventID, time: records[index].effectiveTime, tenant: tenant,
            actor: records[index].fact.actor, clientIP: records[index].fact.clientIP,
            identity: records[index].fact.identity, objectID: records[index].fact.objectID,
            direction: records[index].fact.direction, outcome: records[index].fact.outcome,
            originalStatus: records[index].fact.originalStatus, kind: kind)
    }

    // MARK: - Names

    /// The name to show a person and the name to hand back to Exchange.
    ///
    /// Both prefer the latest snapshot's `Name` (what Exchange shows). Otherwise a person sees the Identity
    /// admins typed most often, and Exchange gets the Identity of the latest change (any form Exchange accepted).
    static func preferredNames(
        identity: IdentityResolver.Account, changes: [BypassChange], attempts: [BypassChange], latestRow: SnapshotRow?
    ) -> (display: String, exchange: String) {
        let fallback = identity.names.first { !AccountName.isGUID($0) } ?? identity.names.first ?? identity.id.key
        if let name = latestRow?.name { return (name, name) }
        // Count per text first (cheap), then merge the few distinct texts that differ only in case.
        var perText: [String: (count: Int, last: Date)] = [:]
        // Counted in runs: an account's changes repeat one Identity text, so the dictionary is touched once per run
        // rather than hashing the text for each of them.
        var run: (text: String, count: Int, last: Date)?
        func closeRun() {
            guard let run else { return }
            let current = perText[run.text]
            perText[run.text] = ((current?.count ?? 0) + run.count, max(current?.last ?? run.last, run.last))
        }
        // Both lists walked in place: joined, they were a copy of every change of the account.
        for list in [changes, attempts] {
            for index in list.indices {
                guard let text = list[index].identity else { continue }
                let time = list[index].time
                if let current = run, current.text == text {
                    run = (text, current.count + 1, max(current.last, time))
                } else {
                    closeRun()
                    run = (text, 1, time)
                }
            }
        }
        closeRun()
        var perKey: [String: (count: Int, last: Date, text: String)] = [:]
        for (text, usage) in perText {
            let key = AccountName.key(for: text)
            if let merged = perKey[key] {
                let text = usage.last > merged.last ? text : merged.text
                perKey[key] = (merged.count + usage.count, max(merged.last, usage.last), text)
            } else {
                perKey[key] = (usage.count, usage.last, text)
            }
        }
        let mostUsed = perKey.values.max { ($0.count, $0.last, $1.text) < ($1.count, $1.last, $0.text) }?.text
        let latestTyped = (changes.last { $0.identity != nil } ?? attempts.last { $0.identity != nil })?.identity
        let objectName = (changes.last { $0.objectID != nil } ?? attempts.last { $0.objectID != nil })?.objectID
            .map { objectID in AccountName.names(in: objectID).last?.text ?? objectID }
        return (mostUsed ?? objectName ?? fallback, latestTyped ?? objectName ?? fallback)
    }

    // MARK: - Reconciliation

    /// Snapshot rows that no event explains, or that contradict the events at their taking time, and rows
    /// whose state cannot be read.
    private func reconcile(snapshotIndices: [Int], timelines: [AccountTimeline], displayNameOf: [AccountID: String])
        -> [SnapshotDiscrepancy]
    {
        var result: [SnapshotDiscrepancy] = []
        for snapshotIndex in snapshotIndices {
            let snapshot = snapshots[snapshotIndex]
            let summary = snapshot.summary
            var present = Set<Int>()
            for (rowIndex, row) in snapshot.rows.enumerated() {
                let account = accountOfRow[snapshotIndex][rowIndex]
                let accountID = account.map { resolver.accounts[$0].id }
                let label = accountID.flatMap { displayNameOf[$0] } ?? row.label
                if let account { present.insert(account) }
                guard let snapshotState = row.bypassEnabled else {
                    let cell = row.auditBypassEnabled.map { "'\($0)' is not True or False" } ?? "it is missing"
                    result.append(
                        SnapshotDiscrepancy(
                            kind: .indeterminateRow, account: accountID, accountName: label, snapshotID: summary.id,
                            takenAt: summary.takenAt, snapshotState: nil, logState: nil, eventIDs: [],
                            detail: "row \(row.row) (line \(row.line)): AuditBypassEnabled cannot be read: \(cell)"))
                    continue
                }
                guard let account, let accountID else {
                    result.append(
                        SnapshotDiscrepancy(
                            kind: .indeterminateRow, account: nil, accountName: label, snapshotID: summary.id,
                            takenAt: summary.takenAt, snapshotState: snapshotState, logState: nil, eventIDs: [],
                            detail: "row \(row.row) (line \(row.line)) gives no name for its account"))
                    continue
                }
                let logFact = timelines[account].eventState(at: summary.takenAt)
                let explainingEvents = logFact.map { eventIDs(of: $0) } ?? []
                switch (snapshotState, logFact?.bypassEnabled) {
                case (true, nil):
                    result.append(
                        SnapshotDiscrepancy(
                            kind: .unexplained, account: accountID, accountName: label, snapshotID: summary.id,
                            takenAt: summary.takenAt, snapshotState: true, logState: nil, eventIDs: [],
                            detail: "snapshot \(summary.id) shows a bypass on '\(label)' that no ingested event "
                                + "explains: set before the logs we have, or hidden"))
                case (true, false?), (false, true?):
                    result.append(
                        SnapshotDiscrepancy(
                            kind: .mismatch, account: accountID, accountName: label, snapshotID: summary.id,
                            takenAt: summary.takenAt, snapshotState: snapshotState, logState: !snapshotState,
                            eventIDs: explainingEvents,
                            detail: "snapshot \(summary.id) shows '\(label)' \(snapshotState ? "bypassed" : "not bypassed") "
                                + "but the logs say \(snapshotState ? "removed" : "enabled") at \(UTCTimestamp.format(logFact!.time))"))
                default:
                    break
                }
            }
            guard summary.complete else { continue }
            for (account, timeline) in timelines.enumerated() where !present.contains(account) {
                guard let logFact = timeline.eventState(at: summary.takenAt), logFact.bypassEnabled else { continue }
                let accountID = resolver.accounts[account].id
                let label = displayNameOf[accountID] ?? resolver.accounts[account].names.first ?? accountID.key
                result.append(
                    SnapshotDiscrepancy(
                        kind: .mismatch, account: accountID, accountName: label, snapshotID: summary.id,
                        takenAt: summary.takenAt, snapshotState: false, logState: true, eventIDs: eventIDs(of: logFact),
                        detail: "'\(label)' is absent from complete snapshot \(summary.id), but the logs say its bypass "
                            + "was enabled at \(UTCTimestamp.format(logFact.time))"))
            }
        }
        return result
    }

    private func eventIDs(of fact: StateFact) -> [String] {
        if case .event(let record) = fact.origin { return [records[record].eventID] }
        return []
    }
}
