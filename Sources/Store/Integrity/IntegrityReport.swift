import Foundation

/// One place where the stored history differs from what the tool wrote.
public struct IntegrityProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A ledger entry's hash does not match its own content: the entry was edited.
        case entryEdited = "entry-edited"
        /// An entry does not link to the one before it: an entry before it was edited, inserted or removed.
        case chainBroken = "chain-broken"
        /// Ledger entries are missing (a gap in the sequence, or entries removed from the end).
        case entriesDeleted = "entries-deleted"
        /// An entry of a kind the tool never writes.
        case unknownEntryKind = "unknown-entry-kind"
        /// The row an entry stands for differs from the chained content: the row was edited.
        case rowEdited = "row-edited"
        /// The row an entry stands for is gone.
        case rowDeleted = "row-deleted"
        /// A row that should be chained has no entry: it was inserted outside the tool.
        case rowInserted = "row-inserted"
        /// `--expect-head` names a hash the chain does not contain.
        case expectedHeadMissing = "expected-head-missing"
    }

    public var kind: Kind
    /// The ledger entry's sequence number, when the problem is tied to one.
    public var seq: Int64?
    /// The entry's kind (`bypass-change`, `snapshot-row`, …) or the kind of row concerned.
    public var entryKind: String?
    /// The item's key in its own table (event id, `<snapshot>:<row>`, register digest, edit id).
    public var ref: String?
    /// The table holding the row concerned.
    public var table: String?
    public var detail: String

    public init(kind: Kind, seq: Int64?, entryKind: String?, ref: String?, table: String?, detail: String) {
        self.kind = kind
        self.seq = seq
        self.entryKind = entryKind
        self.ref = ref
        self.table = table
        self.detail = detail
    }

    /// A stored row that does not decode (a value no version of the tool writes): edited outside the tool, or
    /// damaged; `error` names the column and value.
    package static func undecodable(_ error: StoreError, seq: Int64?, entryKind: String?, ref: String, table: String)
        -> IntegrityProblem
    {
        IntegrityProblem(
            kind: .rowEdited, seq: seq, entryKind: entryKind, ref: ref, table: table, detail: "\(error): it was edited")
    }

    public var description: String {
        var location: [String] = []
        if let seq { location.append("ledger entry \(seq)") }
        if let table, let ref { location.append("\(table) \(ref)") }
        return (location.isEmpty ? "" : location.joined(separator: ", ") + ": ") + detail
    }
}

/// What `verify` found: the head of the chain, what was checked, and every problem, first one first.
public struct IntegrityReport: Sendable, Hashable, Codable {
    /// True when the chain and every cross-check hold (and the expected head, when given, is in the chain).
    public var ok: Bool
    /// The newest entry's hash: what reports publish.
    public var head: String
    /// The newest entry's sequence number (0 for the empty chain).
    public var headSeq: Int64
    public var entries: Int
    /// Entries per kind (`bypass-change`, `snapshot-row`, `allowlist-version`, `allowlist-edit`).
    public var entriesByKind: [String: Int]
    /// Entry kinds whose rows were compared with their tables.
    public var crossChecked: [String]
    /// Entry kinds not compared, with why (their table does not exist yet).
    public var notCrossChecked: [String: String]
    public var expectedHead: String?
    /// Where the expected head sits in the chain (0 for the empty chain), when found.
    public var expectedHeadSeq: Int64?
    /// Entries appended after the expected head (normal growth since it was published).
    public var entriesSinceExpectedHead: Int?
    /// The earliest problem in chain order: what was edited, inserted or deleted first.
    public var firstProblem: IntegrityProblem?
    public var problems: [IntegrityProblem]
    /// Whether the write guard stands as the tool installed it, and the full verification `drift` and `report`
    /// rely on while it does (`WriteGuard`, `VerificationCheckpoint`).
    public var writeGuard: WriteGuardReport

    /// The write guard's state as `verify` found it.
    public struct WriteGuardReport: Sendable, Hashable, Codable {
        /// True when every guard trigger is there exactly as the tool installed it.
        public var intact: Bool
        /// Guard triggers dropped or altered outside the tool: `drift` and `report` then verify in full each run.
        public var missing: [String]
        public var altered: [String]
        /// The full verification that still stands (nil: the next `drift` or `report` verifies in full).
        public var checkpoint: VerificationCheckpoint?

        public init(_ standing: WriteGuard.Standing, checkpoint: VerificationCheckpoint?) {
            intact = standing.intact
            missing = standing.missing
            altered = standing.altered
            self.checkpoint = checkpoint
        }

        private enum CodingKeys: String, CodingKey { case intact, missing, altered, checkpoint }

        /// `checkpoint` is written as `null` when there is none: the key is part of the documented schema.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(intact, forKey: .intact)
            try container.encode(missing, forKey: .missing)
            try container.encode(altered, forKey: .altered)
            try container.encode(checkpoint, forKey: .checkpoint)
        }
    }

    public init(
        ok: Bool, head: String, headSeq: Int64, writeGuard: WriteGuardReport, entries: Int, entriesByKind: [String: Int], crossChecked: [String],
        notCrossChecked: [String: String], expectedHead: String?, expectedHeadSeq: Int64?,
        entriesSinceExpectedHead: Int?, firstProblem: IntegrityProblem?, problems: [IntegrityProblem]
    ) {
        self.ok = ok
        self.head = head
        self.headSeq = headSeq
        self.writeGuard = writeGuard
        self.entries = entries
        self.entriesByKind = entriesByKind
        self.crossChecked = crossChecked
        self.notCrossChecked = notCrossChecked
        self.expectedHead = expectedHead
        self.expectedHeadSeq = expectedHeadSeq
        self.entriesSinceExpectedHead = entriesSinceExpectedHead
        self.firstProblem = firstProblem
        self.problems = problems
    }
}
