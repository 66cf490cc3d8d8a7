import Core
import Policy
import Store
import Foundation
import GRDB

/// The cross-checks that rebuild a chain entry through a stage's own model, which Store cannot see: a snapshot row
/// as the inventory reads it (`SnapshotRow`, its cells trimmed) and a register edit as the Policy stage chains it
/// (`AllowlistEdit`). Store's `SourceCrossCheck` holds every other table to its entries; the rows come from the same
/// Store records, one by one, so a row that does not decode is named, never a stop.
enum ModelCrossCheck {
    // MARK: - Snapshot rows (`snapshot`, `snapshot_row`)

    /// `corrections` are the chained `snapshot-correction` entries: a snapshot removed by one after its entries
    /// were written is expected to be gone, and one re-dated is expected to carry the latest new time. They are
    /// read from the chain, not from `snapshot_correction`, so a correction row inserted by hand excuses nothing.
    static func snapshotRows(_ db: Database, entries: [LedgerEntryRow], corrections: [LedgerEntryRow]) throws
        -> [IntegrityProblem]
    {
        var problems: [IntegrityProblem] = []
        let kind = Ledger.Kind.snapshotRow.rawValue
        var removedAt: [Int64: Int64] = [:]
        var redates: [Int64: [(seq: Int64, takenAt: Date)]] = [:]
        for entry in corrections {
            guard let correction = try? JSONCoding.decoder().decode(
                SnapshotCorrection.self, from: Data(entry.content.utf8))
            else { continue }  // an unreadable correction is reported by `SourceCrossCheck.snapshotCorrections`
            switch correction.action {
            case .remove: removedAt[correction.snapshotID] = entry.seq
            case .redate:
                if let after = correction.takenAtAfter { redates[correction.snapshotID, default: []].append((entry.seq, after)) }
            }
        }
        /// The removal that explains why the snapshot of an entry written at `seq` is gone.
        func removal(of snapshotID: Int64, after seq: Int64) -> Int64? {
            removedAt[snapshotID].flatMap { $0 > seq ? $0 : nil }
        }
        // Both keyed by chain ref (`<id>:0` for a snapshot): the ref an entry names is rebuilt from its numbers.
        let storedHeaders = try SnapshotRecordStore.storedSnapshots(db)
        var headers: [String: DecodedRow<SnapshotRecord>] = [:]
        for header in storedHeaders { headers[header.ref] = header }
        // Each row as the inventory reads it (its cells trimmed), which is what its entry chains.
        let storedRows = try SnapshotRecordStore.storedRows(db).map { row in try row.map(SnapshotRow.init(stored:)) }
        var rows: [String: DecodedRow<SnapshotRow>] = [:]
        for row in storedRows { rows[row.ref] = row }
        var chained = Set<String>()
        for entry in entries {
            chained.insert(entry.ref)
            let parts = entry.ref.split(separator: ":")
            guard parts.count == 2, let snapshotID = Int64(parts[0]), let rowNumber = Int(parts[1]) else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: "snapshot_row",
                        detail: "the entry's ref is not <snapshot>:<row>"))
                continue
            }
            let table = rowNumber == 0 ? "snapshot" : "snapshot_row"
            let header = headers[SnapshotStore.ledgerRef(snapshotID: snapshotID, row: 0)]
            let exists = rowNumber == 0 ? header != nil : rows[entry.ref] != nil
            if let removal = removal(of: snapshotID, after: entry.seq) {
                if exists {
                    problems.append(
                        IntegrityProblem(
                            kind: .rowInserted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: table,
                            detail: "snapshot \(snapshotID) was removed (ledger entry \(removal)) but this row is stored "
                                + "again: it was put back outside the tool"))
                }
                continue
            }
            var chainedContent = entry.content
            if rowNumber == 0, let redate = redates[snapshotID]?.last(where: { $0.seq > entry.seq }),
                var chainedHeader = try? JSONCoding.decoder().decode(
                    SnapshotHeaderLedgerContent.self, from: Data(chainedContent.utf8))
            {
                // Re-dated by a chained correction: the stored row must carry the latest new time, marked as given.
                chainedHeader.takenAt = redate.takenAt
                chainedHeader.takenAtGiven = true
                chainedContent = try chainedHeader.canonicalJSON()
            }
            let rebuilt: Result<String, StoreError>?
            if rowNumber == 0 {
                rebuilt = try header.map { stored in
                    try stored.map { record in try SnapshotHeaderLedgerContent(record).canonicalJSON() }.record
                }
            } else {
                rebuilt = try rows[entry.ref].map { stored in
                    try stored.map { row in try SnapshotRowLedgerContent(snapshotId: snapshotID, row: row).canonicalJSON() }
                        .record
                }
            }
            switch rebuilt {
            case nil:
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: table,
                        detail: rowNumber == 0 ? "the chained snapshot was deleted" : "the chained snapshot row was deleted"))
            case .failure(let error):
                problems.append(.undecodable(error, seq: entry.seq, entryKind: kind, ref: entry.ref, table: table))
            case .success(let rebuilt) where rebuilt != chainedContent:
                let fields = SourceCrossCheck.differingFields(rebuilt, chainedContent)
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: entry.seq, entryKind: kind, ref: entry.ref, table: table,
                        detail: "differs from the chained content"
                            + (fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))") + ": it was edited"))
            case .success:
                break
            }
        }
        for header in storedHeaders where !chained.contains(header.ref) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: header.ref, table: "snapshot",
                    detail: "a snapshot that is not in the chain: it was inserted outside the tool"))
        }
        for row in storedRows where !chained.contains(row.ref) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: row.ref, table: "snapshot_row",
                    detail: "a snapshot row that is not in the chain: it was inserted outside the tool"))
        }
        return problems
    }

    // MARK: - Register edits (`allowlist_edit`)

    static func allowlistEdits(_ db: Database, entries: [LedgerEntryRow]) throws -> [IntegrityProblem] {
        let rows = try AllowlistEditStore.storedEdits(db).map { row in try row.map { try AllowlistEdit(stored: $0) } }
        return SourceCrossCheck.keyedRows(
            rows, entries: entries, kind: .allowlistEdit, table: "allowlist_edit",
            deleted: "the chained register edit was deleted",
            inserted: "a register edit that is not in the chain: it was inserted outside the tool"
        ) { edit, entry in
            matches(edit, content: entry.content) ? nil : "the stored edit differs from the chained one: it was edited"
        }
    }

    /// The edit's canonical text is the chained content; a time column stored in another text form still matches
    /// when it names the same millisecond.
    private static func matches(_ edit: AllowlistEdit, content: String) -> Bool {
        if (try? JSONCoding.string(edit, pretty: false)) == content { return true }
        guard let chained = try? JSONCoding.decoder().decode(AllowlistEdit.self, from: Data(content.utf8)) else {
            return false
        }
        return UTCTimestamp.format(chained.at) == UTCTimestamp.format(edit.at) && chained.by == edit.by
            && chained.action == edit.action && chained.entryID == edit.entryID && chained.reason == edit.reason
            && chained.summary == edit.summary
    }
}
