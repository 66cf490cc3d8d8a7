import Policy
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
        "ingest-run": "ingest run summaries are not chained: the events and coverage they stored are",
        "detection-state": "the detection watermark and pending list are not chained: they only say where detection "
            + "resumes, and every alert it raised is chained",
        "collection-state": "Elasticsearch and Management Activity API cursors and fetched-content bookkeeping are not "
            + "chained: the events they collected and the windows they lost are",
        "integrity-checkpoint": "the verification checkpoint is not chained: it only spares drift and report a full "
            + "verification while the write guard stands, and verify always verifies in full",
        "allowlist-edit-intent": "register edit intents are not chained: a completed edit is (allowlist-edit), and an "
            + "open intent is settled by the next command on the register",
    ]

    /// How much of the stored evidence a check covers.
    public enum Scope: Sendable {
        /// Every chained row, every document (`verify`).
        case everything
        /// Every chained row and column `drift` and `report` read, but not event documents, which they never read:
        /// a bypass event's document is held to the SHA-256 its entry records only by `verify`. The check they make
        /// when no full verification stands (`IntegrityGate`), at a cost that does not grow with the size of the
        /// documents.
        case readPath
    }

    public static func verify(_ db: Database, expectedHead: String? = nil, scope: Scope = .everything) throws
        -> IntegrityReport
    {
        var problems: [IntegrityProblem] = []
        let walk = try Ledger.walk(db)
        for broken in walk.breaks {
            if broken.seq != broken.expectedSeq {
                let missing = broken.seq - broken.expectedSeq
                let before = broken.expectedSeq - 1
                problems.append(
                    IntegrityProblem(
                        kind: .entriesDeleted, seq: broken.seq, entryKind: nil, ref: nil, table: "ledger",
                        detail: missing > 0
                            ? "\(missing) entr\(missing == 1 ? "y" : "ies") before this one (seq \(before + 1)"
                                + (missing > 1 ? "…\(broken.seq - 1)" : "") + ") were deleted"
                            : "sequence number out of order (after \(before))"))
            } else if !broken.linked {
                problems.append(
                    IntegrityProblem(
                        kind: .chainBroken, seq: broken.seq, entryKind: broken.kind, ref: broken.ref, table: "ledger",
                        detail: "does not link to the entry before it: an entry was edited, inserted or removed before this one"))
            }
            if !broken.hashMatches {
                problems.append(
                    IntegrityProblem(
                        kind: .entryEdited, seq: broken.seq, entryKind: broken.kind, ref: broken.ref, table: "ledger",
                        detail: "its hash does not match its content: the entry was edited"))
            }
        }
        for entry in try Ledger.entriesOfUnknownKind(db) {
            problems.append(
                IntegrityProblem(
                    kind: .unknownEntryKind, seq: entry.seq, entryKind: entry.kind, ref: entry.ref, table: "ledger",
                    detail: "kind '\(entry.kind)' is not one the tool writes"))
        }
        // AUTOINCREMENT remembers the highest sequence ever used: entries removed from the end leave it behind.
        if walk.highestSeqEverUsed > walk.lastSeq {
            let removed = walk.highestSeqEverUsed - walk.lastSeq
            problems.append(
                IntegrityProblem(
                    kind: .entriesDeleted, seq: walk.lastSeq + 1, entryKind: nil, ref: nil, table: "ledger",
                    detail: "\(removed) entr\(removed == 1 ? "y" : "ies") after seq \(walk.lastSeq) "
                        + "(up to \(walk.highestSeqEverUsed)) were deleted from the end of the chain"))
        }
        var entries: [Ledger.Kind: [LedgerEntryRow]] = [:]
        for entry in try Ledger.entries(db, kinds: Self.comparedInMemory) {
            guard let kind = Ledger.Kind(rawValue: entry.kind) else { continue }
            entries[kind, default: []].append(entry)
        }
        let includingDocuments = scope == .everything

        var crossChecked: [String] = []
        var notCrossChecked: [String: String] = [:]
        problems += try SourceCrossCheck.bypassChanges(db, includingDocuments: includingDocuments)
        problems += try SourceCrossCheck.bypassChangeFacts(db)
        crossChecked.append(Ledger.Kind.bypassChange.rawValue)
        problems += try ModelCrossCheck.snapshotRows(
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
                problems += try ModelCrossCheck.allowlistEdits(db, entries: entries[kind] ?? [])
            }
            crossChecked.append(kind.rawValue)
        }

        // Derived like bypass_change: each stored register parse is parsed again from its version's text.
        if try db.tableExists("allowlist_parse") {
            problems += try StoredAllowlistParse.problems(db)
            crossChecked.append(Self.registerParses)
        } else {
            notCrossChecked[Self.registerParses] = "table allowlist_parse does not exist yet"
        }

        for table in ChainedTable.all {
            problems += try SourceCrossCheck.chainedRows(db, table, includingDocuments: includingDocuments)
            crossChecked.append(table.kind.rawValue)
        }

        let expectedSeq: Int64? = try expectedHead.flatMap { head in
            head.lowercased() == Ledger.genesis ? 0 : try Ledger.seq(ofHash: head.lowercased(), db)
        }
        if let expectedHead, expectedSeq == nil {
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
        let found = expectedSeq
        return IntegrityReport(
            ok: ordered.isEmpty, head: walk.head, headSeq: walk.lastSeq,
            writeGuard: IntegrityReport.WriteGuardReport(
                try WriteGuard.standing(db), checkpoint: try VerificationCheckpoint.standing(db)),
            entries: walk.count, entriesByKind: walk.countsByKind,
            crossChecked: crossChecked, notCrossChecked: notCrossChecked, expectedHead: expectedHead?.lowercased(),
            expectedHeadSeq: found,
            entriesSinceExpectedHead: try found.map { seq in try Ledger.count(after: seq, db) },
            firstProblem: ordered.first, problems: ordered)
    }
}

extension ChainVerifier {
    /// Kinds whose rows are compared with their entries in memory (few rows, structured content).
    static let comparedInMemory: [Ledger.Kind] = [.snapshotRow, .snapshotCorrection, .allowlistVersion, .allowlistEdit]

    /// The name `crossChecked` gives the stored register parses, which are not chained but parsed again.
    static let registerParses = "allowlist-parse"
}
