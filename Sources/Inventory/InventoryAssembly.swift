import Core
import Store
import Foundation

/// Puts records and snapshots of one tenant together into an `InventoryView` at one moment.
struct InventoryAssembly {
    let tenant: TenantID
    let asOf: Date
    let records: [StoredBypassChange]
    let snapshots: [SnapshotStore.StoredSnapshot]

    /// Per observation source, the account index the resolver gave it.
    private var accountOfRecord: [Int?] = []
    private var accountOfRow: [[Int?]] = []
    private let resolver: IdentityResolver

    init(tenant: TenantID, asOf: Date, records: [StoredBypassChange], snapshots: [SnapshotStore.StoredSnapshot]) {
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
        for record in records {
            let pair = NamePair(identity: record.identity, objectID: record.objectID)
            if let index = observationOfPair[pair] {
                observationOfRecord.append(index)
                continue
            }
            var seen = Set<String>()
            var names: [AccountName] = []
            for text in [record.identity, record.objectID].compactMap({ $0 }) {
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

    func view() -> InventoryView {
        let accountCount = resolver.accounts.count
        let timelines = makeTimelines(accountCount: accountCount)
        var indeterminate: [BypassChange] = []
        // Each account's list is reserved for all of its records up to as-of (a few attempts over).
        var recordCount = Array(repeating: 0, count: accountCount)
        for (index, record) in records.enumerated() where record.effectiveTime <= asOf {
            if let account = accountOfRecord[index] { recordCount[account] += 1 }
        }
        var changesOf: [[BypassChange]] = Self.lists(reserving: recordCount)
        var attemptsOf: [[BypassChange]] = Array(repeating: [], count: accountCount)
        var seenByEvent = Array(repeating: false, count: accountCount)

        for (index, record) in records.enumerated() {
            let time = record.effectiveTime
            guard time <= asOf else { continue }
            guard let account = accountOfRecord[index] else {
                indeterminate.append(change(record, kind: .indeterminate))
                continue
            }
            seenByEvent[account] = true
            if record.time == nil {
                let entry = change(record, kind: .indeterminate)
                changesOf[account].append(entry)
                indeterminate.append(entry)
            } else if !record.succeeded {
                attemptsOf[account].append(change(record, kind: .failedAttempt))
            } else if let kind = timelines[account].kindOfRecord[index] {
                changesOf[account].append(change(record, kind: kind))
            } else {
                let entry = change(record, kind: .indeterminate)
                changesOf[account].append(entry)
                indeterminate.append(entry)
            }
        }

        let visibleSnapshots = snapshots.indices.filter { snapshots[$0].summary.takenAt <= asOf }
        var observationsOf: [[SnapshotObservation]] = Array(repeating: [], count: accountCount)
        var latestRowOf: [SnapshotRow?] = Array(repeating: nil, count: accountCount)
        for snapshotIndex in visibleSnapshots {
            let snapshot = snapshots[snapshotIndex]
            for (rowIndex, row) in snapshot.rows.enumerated() {
                guard let account = accountOfRow[snapshotIndex][rowIndex] else { continue }
                observationsOf[account].append(
                    SnapshotObservation(
                        snapshotID: snapshot.summary.id, takenAt: snapshot.summary.takenAt,
                        bypassEnabled: row.bypassEnabled, name: row.name, row: row.row))
                if row.name != nil { latestRowOf[account] = row }
            }
        }
        // Absence from a complete snapshot is shown, but is no state fact: it never turns a logged bypass off (the
        // export may be truncated or filtered however the admin labelled it); reconciliation reports the dispute.
        for snapshotIndex in visibleSnapshots where snapshots[snapshotIndex].summary.complete {
            let summary = snapshots[snapshotIndex].summary
            let present = Set(accountOfRow[snapshotIndex].compactMap { $0 })
            for (account, timeline) in timelines.enumerated()
            where !present.contains(account) && timeline.hasFact(atOrBefore: summary.takenAt) {
                observationsOf[account].append(
                    SnapshotObservation(
                        snapshotID: summary.id, takenAt: summary.takenAt, bypassEnabled: false, name: nil, row: nil,
                        absent: true))
            }
        }

        var accounts: [InventoryAccount] = []
        for (index, identity) in resolver.accounts.enumerated() {
            let observations = observationsOf[index].sorted { ($0.takenAt, $0.snapshotID) < ($1.takenAt, $1.snapshotID) }
            guard seenByEvent[index] || !observations.isEmpty else { continue }
            let timeline = timelines[index]
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
                : seenByEvent[index] ? .events : .snapshot
            let changes = changesOf[index]
            let names = InventoryAssembly.preferredNames(
                identity: identity, changes: changes, attempts: attemptsOf[index], latestRow: latestRowOf[index])
            accounts.append(
                InventoryAccount(
                    id: identity.id, displayName: names.display, exchangeName: names.exchange,
                    guid: identity.guids.first, names: identity.names, bypassEnabled: current?.bypassEnabled ?? false,
                    since: first?.time, setBy: sinceRecord?.actor, lastEventID: changes.last?.eventID,
                    source: source, changes: changes, attempts: attemptsOf[index], snapshotObservations: observations,
                    sinceEventID: sinceRecord?.eventID, guids: identity.guids))
        }
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

    private func makeTimelines(accountCount: Int) -> [AccountTimeline] {
        var factCount = Array(repeating: 0, count: accountCount)
        for (index, record) in records.enumerated() where record.time != nil && record.succeeded {
            if let account = accountOfRecord[index] { factCount[account] += 1 }
        }
        for (snapshotIndex, snapshot) in snapshots.enumerated() {
            for rowIndex in snapshot.rows.indices {
                if let account = accountOfRow[snapshotIndex][rowIndex] { factCount[account] += 1 }
            }
        }
        var factsOf: [[StateFact]] = Self.lists(reserving: factCount)
        for (index, record) in records.enumerated() {
            guard let account = accountOfRecord[index], let time = record.time, record.succeeded else { continue }
            let state: Bool
            switch record.direction {
            case .enabled: state = true
            case .removed: state = false
            case .unknown: continue
            }
            factsOf[account].append(
                StateFact(time: time, bypassEnabled: state, origin: .event(index), tieBreak: (0, index, 0)))
        }
        for (snapshotIndex, snapshot) in snapshots.enumerated() {
            for (rowIndex, row) in snapshot.rows.enumerated() {
                guard let account = accountOfRow[snapshotIndex][rowIndex], let state = row.bypassEnabled else {
                    continue
                }
                // Duplicate rows for one account are reported at import; when they disagree, True is ordered last,
                // so the snapshot never resolves its own doubt towards "not bypassed".
                factsOf[account].append(
                    StateFact(
                        time: snapshot.summary.takenAt, bypassEnabled: state,
                        origin: .snapshotRow(snapshot: snapshotIndex, row: rowIndex),
                        tieBreak: (1, snapshotIndex, (state ? snapshot.rows.count : 0) + rowIndex)))
            }
        }
        return factsOf.map(AccountTimeline.init(facts:))
    }

    private func change(_ record: StoredBypassChange, kind: ChangeKind) -> BypassChange {
        BypassChange(
            eventID: record.eventID, time: record.effectiveTime, tenant: tenant, actor: record.actor,
            clientIP: record.clientIP, identity: record.identity, objectID: record.objectID,
            direction: record.direction, outcome: record.outcome, originalStatus: record.originalStatus, kind: kind)
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
        // Both lists walked in place: joined, they were a copy of every change of the account.
        for entry in [changes, attempts].joined() {
            guard let text = entry.identity else { continue }
            let current = perText[text]
            perText[text] = ((current?.count ?? 0) + 1, max(current?.last ?? entry.time, entry.time))
        }
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
