import Core
import Foundation
import GRDB

/// One row of `alert`: a rule matched a stored event. Detection maps it to its `Alert` (the signal is Detection's
/// vocabulary, so it stays text here). The attacker-written columns (actor, target, object id) hold `NULSafeText`.
public struct AlertRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "alert"

    public enum Columns {
        public static let id = Column("id")
        public static let ruleID = Column("rule_id")
        public static let ruleName = Column("rule_name")
        public static let severity = Column("severity")
        public static let riskScore = Column("risk_score")
        public static let signal = Column("signal")
        public static let tenant = Column("tenant")
        public static let eventID = Column("event_id")
        public static let eventTime = Column("event_time")
        public static let actor = Column("actor")
        public static let target = Column("target")
        public static let objectID = Column("object_id")
        public static let outcome = Column("outcome")
        public static let direction = Column("direction")
        public static let raisedAt = Column("raised_at")
        public static let runID = Column("run_id")

        /// Every column, in the order `init(row:)` reads them.
        static let all = [
            id, ruleID, ruleName, severity, riskScore, signal, tenant, eventID, eventTime, actor, target, objectID,
            outcome, direction, raisedAt, runID,
        ]

        /// `column`'s position in `all` (what `RepeatedValues` keys the previous row's texts by).
        static func position(of column: Column) -> Int {
            all.firstIndex { $0.name == column.name }!
        }
    }

    /// `init(row:)` reads columns by position (drift and report read every alert of a month, 200,000 at scale, where
    /// looking each column up by name cost most of the time): every request selects them in this order.
    public static var databaseSelection: [any SQLSelectable] { Columns.all }

    /// SQLite's id, assigned when the row is inserted (0 before): the record never writes it.
    public var id: Int64
    public var ruleID: String
    public var ruleName: String
    public var severity: Severity
    public var riskScore: Int
    /// `DetectionSignal`'s raw value.
    public var signal: String
    /// The tenant as stored (normalised when written); the reader turns it into a `TenantID` once per tenant.
    public var tenant: String
    public var eventID: String
    public var eventTime: Date
    public var actor: String?
    public var target: String?
    public var objectID: String?
    public var outcome: EventOutcome
    public var direction: BypassDirection
    public var raisedAt: Date
    /// The detection run that raised it.
    public var runID: Int64

    public init(
        id: Int64, ruleID: String, ruleName: String, severity: Severity, riskScore: Int, signal: String, tenant: String,
        eventID: String, eventTime: Date, actor: String?, target: String?, objectID: String?, outcome: EventOutcome,
        direction: BypassDirection, raisedAt: Date, runID: Int64
    ) {
        self.id = id
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.severity = severity
        self.riskScore = riskScore
        self.signal = signal
        self.tenant = tenant
        self.eventID = eventID
        self.eventTime = eventTime
        self.actor = actor
        self.target = target
        self.objectID = objectID
        self.outcome = outcome
        self.direction = direction
        self.raisedAt = raisedAt
        self.runID = runID
    }

    /// Reads the columns of `Columns.all`, by position.
    public init(row: Row) throws {
        var repeated = RepeatedValues()
        try self.init(row: row, repeated: &repeated)
    }

    /// What consecutive rows of one read share: alerts come in runs from one rule and one detection run, so most
    /// columns repeat the row before. A repeated text is kept once (200,000 alerts need not hold 200,000 copies of
    /// the rule name) and a repeated `raised_at` is parsed once.
    struct RepeatedValues {
        /// The previous row's text per column position.
        private var texts = [String?](repeating: nil, count: Columns.all.count)
        private var raisedAt: (text: String, date: Date)?
        /// Names that recur across the read, not only in consecutive rows (the target of each account's alerts).
        var names = RepeatedText()

        init() {}

        /// `text`, as the previous row's value of column `index` when equal (sharing its storage).
        mutating func shared(_ text: String, column index: Int) -> String {
            if let previous = texts[index], previous == text { return previous }
            texts[index] = text
            return text
        }

        /// `shared`, for a column that may hold NULL.
        mutating func shared(_ text: String?, column index: Int) -> String? {
            text.map { shared($0, column: index) }
        }

        /// The instant `text` names, parsed only when it differs from the previous row's.
        mutating func raisedAt(_ text: String, _ decoding: StoredRowDecoding) throws -> Date {
            if let raisedAt, raisedAt.text == text { return raisedAt.date }
            let date = try decoding.date(text, column: Columns.raisedAt.name)
            raisedAt = (text, date)
            return date
        }
    }

    /// Reads the columns of `Columns.all`, by position, sharing what repeats the previous row of the same read.
    init(row: Row, repeated: inout RepeatedValues) throws {
        id = try row.decode(Int64.self, atIndex: 0)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: String(id))
        ruleID = repeated.shared(try row.decode(String.self, atIndex: 1), column: 1)
        ruleName = repeated.shared(try row.decode(String.self, atIndex: 2), column: 2)
        severity = try decoding.value(try row.decode(String.self, atIndex: 3), column: "severity")
        riskScore = try row.decode(Int.self, atIndex: 4)
        signal = repeated.shared(try row.decode(String.self, atIndex: 5), column: 5)
        tenant = repeated.shared(try row.decode(String.self, atIndex: 6), column: 6)
        eventID = try row.decode(String.self, atIndex: 7)
        eventTime = try decoding.date(try row.decode(String.self, atIndex: 8), column: "event_time")
        actor = repeated.shared(NULSafeText.decode(try row.decode(String?.self, atIndex: 9)), column: 9)
        target = repeated.names.shared(NULSafeText.decode(try row.decode(String?.self, atIndex: 10)))
        objectID = repeated.names.shared(NULSafeText.decode(try row.decode(String?.self, atIndex: 11)))
        outcome = try decoding.value(try row.decode(String.self, atIndex: 12), column: "outcome")
        direction = try decoding.value(try row.decode(String.self, atIndex: 13), column: "direction")
        raisedAt = try repeated.raisedAt(try row.decode(String.self, atIndex: 14), decoding)
        runID = try row.decode(Int64.self, atIndex: 15)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.ruleID] = ruleID
        container[Columns.ruleName] = ruleName
        container[Columns.severity] = severity.rawValue
        container[Columns.riskScore] = riskScore
        container[Columns.signal] = signal
        container[Columns.tenant] = tenant
        container[Columns.eventID] = eventID
        container[Columns.eventTime] = UTCTimestamp.format(eventTime)
        // Attacker-written names keep a NUL (`NULSafeText`): cut there, `svc-backup\0-x` would read as svc-backup.
        container[Columns.actor] = NULSafeText.encode(actor)
        container[Columns.target] = NULSafeText.encode(target)
        container[Columns.objectID] = NULSafeText.encode(objectID)
        container[Columns.outcome] = outcome.rawValue
        container[Columns.direction] = direction.rawValue
        container[Columns.raisedAt] = UTCTimestamp.format(raisedAt)
        container[Columns.runID] = runID
    }
}
