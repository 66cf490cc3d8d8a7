import Store
import Foundation
import GRDB

/// Recomputes the history hash chain (`Ledger`) and checks every entry against the row it stands for.
///
/// Detects a row edited, inserted or deleted outside the tool: an entry whose hash no longer matches its content,
/// a broken link or a gap in the chain, a chained row that changed or vanished, and a row that should be chained
/// but is not. Whoever can edit the file could rebuild the whole chain, so `expectedHead` (a head published in an
/// earlier report) must still be in it.
public enum ChainVerifier {
    /// Stored rows the chain does not cover: `verify` names them in `not_cross_checked` rather than implying they
    /// were checked. None of them is a row a finding rests on; each says where its facts are covered instead.
    public static let unchained: [String: String] = [
        "input-file": "input file rows (path, read position, record counts) are not chained: the per-day coverage "
            + "they produce is, and every stored event is",
        "detection-run": "detection run summaries are not chained: the alerts they raised are",
        "alert-delivery": "delivery state to external destinations is not chained: the destination holds what it "
            + "acknowledged",
        "report": "report records are not chained: each published report folder carries SHA256SUMS and the chain "
            + "head it was made from (verify --expect-head)",
    ]

    public static func verify(_ db: Database, expectedHead: String? = nil) throws -> IntegrityReport {
        var problems: [IntegrityProblem] = []
        var entriesByKind: [String: Int] = [:]
        var entries: [Ledger.Kind: [LedgerEntry]] = [:]
        var previous = Ledger.genesis
        var lastSeq: Int64 = 0
        var count = 0
        var expectedSeq: Int64? = expectedHead.map { $0.lowercased() == Ledger.genesis ? 0 : -1 }

        let cursor = try Row.fetchCursor(db, sql: "SELECT seq, kind, ref, content, prev_hash, hash FROM ledger ORDER BY seq")
        while let row = try cursor.next() {
            let kindText: String = row["kind"]
            let content: String = row["content"]
            let entry = LedgerEntry(
                seq: row["seq"], kind: kindText, ref: row["ref"],
                // Bypass changes and rows chained by content are compared in SQL; holding 200,000 documents in
                // memory would serve nothing.
                content: Self.comparedInMemory.contains(kindText) ? content : nil,
                previousHash: row["prev_hash"], hash: row["hash"])
            count += 1
            entriesByKind[entry.kind, default: 0] += 1
            if entry.seq != lastSeq + 1 {
                let missing = entry.seq - lastSeq - 1
                problems.append(
                    IntegrityProblem(
                        kind: .entriesDeleted, seq: entry.seq, entryKind: nil, ref: nil, table: "ledger",
                        detail: missing > 0
                            ? "\(missing) entr\(missing == 1 ? "y" : "ies") before this one (seq \(lastSeq + 1)"
                                + (missing > 1 ? "…\(entry.seq - 1)" : "") + ") were deleted"
                            : "sequence number out of order (after \(lastSeq))"))
            } else if entry.previousHash != previous {
                problems.append(
                    IntegrityProblem(
                        kind: .chainBroken, seq: entry.seq, entryKind: entry.kind, ref: entry.ref, table: "ledger",
                        detail: "does not link to the entry before it: an entry was edited, inserted or removed before this one"))
            }
            let recomputed = Ledger.chainHash(
                previous: entry.previousHash, kind: entry.kind, ref: entry.ref, content: content)
            if recomputed != entry.hash {
                problems.append(
                    IntegrityProblem(
                        kind: .entryEdited, seq: entry.seq, entryKind: entry.kind, ref: entry.ref, table: "ledger",
                        detail: "its hash does not match its content: the entry was edited"))
            }
            if let expectedHead, expectedSeq == -1, entry.hash == expectedHead.lowercased() { expectedSeq = entry.seq }
            if let kind = Ledger.Kind(rawValue: entry.kind) {
                entries[kind, default: []].append(entry)
            } else {
                problems.append(
                    IntegrityProblem(
                        kind: .unknownEntryKind, seq: entry.seq, entryKind: entry.kind, ref: entry.ref, table: "ledger",
                        detail: "kind '\(entry.kind)' is not one the tool writes"))
            }
            previous = entry.hash
            lastSeq = entry.seq
        }
        // AUTOINCREMENT remembers the highest sequence ever used: entries removed from the end leave it behind.
        if let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'ledger'"),
            highest > lastSeq
        {
            problems.append(
                IntegrityProblem(
                    kind: .entriesDeleted, seq: lastSeq + 1, entryKind: nil, ref: nil, table: "ledger",
                    detail: "\(highest - lastSeq) entr\(highest - lastSeq == 1 ? "y" : "ies") after seq \(lastSeq) "
                        + "(up to \(highest)) were deleted from the end of the chain"))
        }

        var crossChecked: [String] = []
        var notCrossChecked: [String: String] = [:]
        problems += try SourceCrossCheck.bypassChanges(db, entries: entries[.bypassChange] ?? [])
        problems += try SourceCrossCheck.bypassChangeFacts(db)
        crossChecked.append(Ledger.Kind.bypassChange.rawValue)
        problems += try SourceCrossCheck.snapshotRows(
            db, entries: entries[.snapshotRow] ?? [], corrections: entries[.snapshotCorrection] ?? [])
        crossChecked.append(Ledger.Kind.snapshotRow.rawValue)
        if try db.tableExists("snapshot_correction") {
            problems += try SourceCrossCheck.snapshotCorrections(db, entries: entries[.snapshotCorrection] ?? [])
            crossChecked.append(Ledger.Kind.snapshotCorrection.rawValue)
        } else {
            notCrossChecked[Ledger.Kind.snapshotCorrection.rawValue] = "table snapshot_correction does not exist yet"
        }
        for (kind, table) in [(Ledger.Kind.allowlistVersion, "allowlist_version"), (.allowlistEdit, "allowlist_edit")] {
            guard try db.tableExists(table) else {
                notCrossChecked[kind.rawValue] = "table \(table) does not exist yet"
                continue
            }
            if kind == .allowlistVersion {
                problems += try SourceCrossCheck.allowlistVersions(db, entries: entries[kind] ?? [])
            } else {
                problems += try SourceCrossCheck.allowlistEdits(db, entries: entries[kind] ?? [])
            }
            crossChecked.append(kind.rawValue)
        }

        for table in ChainedTable.all {
            problems += try SourceCrossCheck.chainedRows(db, table)
            crossChecked.append(table.kind.rawValue)
        }

        if let expectedHead, expectedSeq == nil || expectedSeq == -1 {
            problems.append(
                IntegrityProblem(
                    kind: .expectedHeadMissing, seq: nil, entryKind: nil, ref: nil, table: "ledger",
                    detail: "the expected head \(expectedHead) is not in the chain: the history it was published from "
                        + "was rewritten, or this is another database"))
        }
        // Chain order: the first problem is the earliest row touched. Problems not tied to an entry come last.
        let ordered = problems.enumerated().sorted { lhs, rhs in
            (lhs.element.seq ?? Int64.max, lhs.offset) < (rhs.element.seq ?? Int64.max, rhs.offset)
        }.map(\.element)
        for (name, reason) in Self.unchained { notCrossChecked[name] = reason }
        let found = expectedSeq.flatMap { $0 >= 0 ? $0 : nil }
        return IntegrityReport(
            ok: ordered.isEmpty, head: previous, entries: count, entriesByKind: entriesByKind,
            crossChecked: crossChecked, notCrossChecked: notCrossChecked, expectedHead: expectedHead?.lowercased(),
            expectedHeadSeq: found,
            entriesSinceExpectedHead: try found.map { seq in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger WHERE seq > ?", arguments: [seq]) ?? 0
            },
            firstProblem: ordered.first, problems: ordered)
    }
}

extension ChainVerifier {
    /// Kinds whose rows are compared with their entries in memory (few rows, structured content).
    static let comparedInMemory: Set<String> = [
        Ledger.Kind.snapshotRow.rawValue, Ledger.Kind.snapshotCorrection.rawValue, Ledger.Kind.allowlistVersion.rawValue,
        Ledger.Kind.allowlistEdit.rawValue,
    ]
}

/// One stored chain entry.
struct LedgerEntry {
    var seq: Int64
    var kind: String
    var ref: String
    /// Kept for the kinds compared in memory (nil for bypass changes).
    var content: String?
    var previousHash: String
    var hash: String
}
