import Core
import Foundation
import GRDB

/// Compares chain entries with the rows they stand for, one table per entry kind, and finds rows that should be
/// chained but are not. The comparisons that rebuild an entry through a stage's own model (the Inventory stage's
/// snapshot rows, the Policy stage's register edits) are that stage's: `ModelCrossCheck`, which reads the rows
/// through the Store records used here.
package enum SourceCrossCheck {
    // MARK: - Rows chained by content (other events, alerts, triage, coverage, collection gaps)

    /// Holds each row of `table` to its newest chain entry, and finds rows no entry chains.
    package static func chainedRows(_ db: Database, _ table: ChainedTable, includingDocuments: Bool) throws
        -> [IntegrityProblem]
    {
        let kind = table.kind.rawValue
        var problems = try table.mismatches(db, includingDocuments: includingDocuments).map { mismatch in
            if mismatch.chained != ChainedTable.removed, let current = mismatch.current {
                return edited(table, seq: mismatch.seq, ref: mismatch.ref, chained: mismatch.chained, current: current)
            }
            let (problem, detail): (IntegrityProblem.Kind, String) =
                mismatch.chained == ChainedTable.removed
                ? (.rowInserted, "the tool removed this row, yet it is there again: it was re-added outside the tool")
                : (.rowDeleted, "the chained row was deleted")
            return IntegrityProblem(
                kind: problem, seq: mismatch.seq, entryKind: kind, ref: mismatch.ref, table: table.table, detail: detail)
        }
        for ref in try table.unchained(db) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: ref, table: table.table,
                    detail: "a row that is not in the chain: it was inserted outside the tool"))
        }
        return problems
    }

    /// A chained row that no longer renders as its entry: which columns changed, in the table that holds them.
    private static func edited(_ table: ChainedTable, seq: Int64, ref: String, chained: String, current: String)
        -> IntegrityProblem
    {
        let columns = table.differingColumns(chained: chained, current: current)
        let tables = Set(columns.compactMap { $0.split(separator: ".").first.map(String.init) })
        let names = columns.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
        let which = names.isEmpty ? "" : " (\(names.joined(separator: ", ")))"
        return IntegrityProblem(
            kind: .rowEdited, seq: seq, entryKind: table.kind.rawValue, ref: ref,
            table: tables.count == 1 ? tables.first : table.table,
            detail: "the row differs from its newest chain entry\(which): it was edited")
    }

    /// Every chained correction against `snapshot_correction`: a deleted or edited log row is tampering (it would
    /// leave a removed or re-dated snapshot unexplained), and a row not in the chain was inserted by hand.
    package static func snapshotCorrections(_ db: Database, entries: [LedgerEntryRow]) throws -> [IntegrityProblem] {
        let rows = try SnapshotCorrectionStore.storedCorrections(db).map { row in try row.map { try $0.canonicalJSON() } }
        return keyedRows(
            rows, entries: entries, kind: .snapshotCorrection, table: "snapshot_correction",
            deleted: "the chained snapshot correction (who removed or re-dated a snapshot, and why) was deleted",
            inserted: "a snapshot correction that is not in the chain: it was inserted outside the tool"
        ) { content, entry in
            guard content != entry.content else { return nil }
            let fields = differingFields(content, entry.content)
            return "differs from the chained correction"
                + (fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))") + ": it was edited"
        }
    }

    /// Holds rows compared in memory (each with its `ref`, in table order) to their chain entries: an entry whose row
    /// is gone is a deletion, a row that does not decode or that `edited` describes (nil: it matches) an edit, and a
    /// row no entry names was inserted outside the tool.
    package static func keyedRows<Stored>(
        _ rows: [DecodedRow<Stored>], entries: [LedgerEntryRow], kind: Ledger.Kind, table: String,
        deleted: String, inserted: String, edited: (Stored, LedgerEntryRow) -> String?
    ) -> [IntegrityProblem] {
        var stored: [String: Result<Stored, StoreError>] = [:]
        for row in rows { stored[row.ref] = row.record }
        var problems: [IntegrityProblem] = []
        var chained = Set<String>()
        for entry in entries {
            chained.insert(entry.ref)
            switch stored[entry.ref] {
            case nil:
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind.rawValue, ref: entry.ref, table: table,
                        detail: deleted))
            case .failure(let error):
                problems.append(
                    .undecodable(error, seq: entry.seq, entryKind: kind.rawValue, ref: entry.ref, table: table))
            case .success(let row):
                if let detail = edited(row, entry) {
                    problems.append(
                        IntegrityProblem(
                            kind: .rowEdited, seq: entry.seq, entryKind: kind.rawValue, ref: entry.ref, table: table,
                            detail: detail))
                }
            }
        }
        for row in rows where !chained.contains(row.ref) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind.rawValue, ref: row.ref, table: table, detail: inserted))
        }
        return problems
    }

    // MARK: - Register versions (`allowlist_version`; their edits are `ModelCrossCheck`'s)

    package static func allowlistVersions(_ db: Database, entries: [LedgerEntryRow]) throws -> [IntegrityProblem] {
        let kind = Ledger.Kind.allowlistVersion.rawValue
        // Versions may be stored as deltas (rebuilt one after the other, in id order, so each from the one before);
        // chained by digest, a version holds when its rebuilt text still hashes to its ref.
        var stored: [String: Int64] = [:]
        var order: [String] = []
        for version in try AllowlistVersionStore.digests(db) {
            stored[version.sha256] = version.id
            order.append(version.sha256)
        }
        let reader = AllowlistVersionStore.Reader(db)
        var problems: [IntegrityProblem] = []
        var chained = Set<String>()
        for entry in entries.sorted(by: { (stored[$0.ref] ?? .max, $0.seq) < (stored[$1.ref] ?? .max, $1.seq) }) {
            chained.insert(entry.ref)
            guard let id = stored[entry.ref], let content = try reader.text(id: id) else {
                problems.append(
                    IntegrityProblem(
                        kind: .rowDeleted, seq: entry.seq, entryKind: kind, ref: entry.ref, table: "allowlist_version",
                        detail: "the chained register version was deleted"))
                continue
            }
            let digest = SHA256Digest.hex(of: content)
            let byDigest = AllowlistVersionStore.chainedContent(sha256: digest, byteCount: content.utf8.count)
            if content != entry.content, !(entry.content == byDigest && digest == entry.ref) {
                problems.append(
                    IntegrityProblem(
                        kind: .rowEdited, seq: entry.seq, entryKind: kind, ref: entry.ref, table: "allowlist_version",
                        detail: "the stored register text differs from the chained one: it was edited"))
            }
        }
        for sha in order where !chained.contains(sha) {
            problems.append(
                IntegrityProblem(
                    kind: .rowInserted, seq: nil, entryKind: kind, ref: sha, table: "allowlist_version",
                    detail: "a register version that is not in the chain: it was inserted outside the tool"))
        }
        return problems
    }

    /// Top-level (and one level nested) keys whose values differ between two JSON objects.
    package static func differingFields(_ lhs: String, _ rhs: String) -> [String] {
        func object(_ text: String) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
        func flatten(_ object: [String: Any], prefix: String = "") -> [String: String] {
            var result: [String: String] = [:]
            for (key, value) in object {
                if let nested = value as? [String: Any] {
                    result.merge(flatten(nested, prefix: prefix + key + ".")) { first, _ in first }
                } else {
                    result[prefix + key] = "\(value)"
                }
            }
            return result
        }
        let left = flatten(object(lhs))
        let right = flatten(object(rhs))
        return Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
    }
}
