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

    /// `init(row:)` reads columns by position: every request selects them in this order.
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

    /// Reads the columns of `Columns.all`, by position (what GRDB's record requests hand over).
    public init(row: Row) throws {
        id = try row.decode(Int64.self, atIndex: 0)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: String(id))
        ruleID = try row.decode(String.self, atIndex: 1)
        ruleName = try row.decode(String.self, atIndex: 2)
        severity = try decoding.value(try row.decode(String.self, atIndex: 3), column: Columns.severity.name)
        riskScore = try row.decode(Int.self, atIndex: 4)
        signal = try row.decode(String.self, atIndex: 5)
        tenant = try row.decode(String.self, atIndex: 6)
        eventID = try row.decode(String.self, atIndex: 7)
        eventTime = try decoding.date(try row.decode(String.self, atIndex: 8), column: Columns.eventTime.name)
        actor = NULSafeText.decode(try row.decode(String?.self, atIndex: 9))
        target = NULSafeText.decode(try row.decode(String?.self, atIndex: 10))
        objectID = NULSafeText.decode(try row.decode(String?.self, atIndex: 11))
        outcome = try decoding.value(try row.decode(String.self, atIndex: 12), column: Columns.outcome.name)
        direction = try decoding.value(try row.decode(String.self, atIndex: 13), column: Columns.direction.name)
        raisedAt = try decoding.date(try row.decode(String.self, atIndex: 14), column: Columns.raisedAt.name)
        runID = try row.decode(Int64.self, atIndex: 15)
    }

    /// What consecutive rows of one read share: alerts come in runs from one rule and one detection run, so most
    /// columns repeat the row before. A value equal to the previous row's (compared as stored bytes) is that row's
    /// value again: 200,000 alerts hold one copy of the rule name, and a repeated severity or `raised_at` is decoded
    /// once.
    struct RepeatedValues {
        var ruleID = PreviousValue<String>()
        var ruleName = PreviousValue<String>()
        var severity = PreviousValue<Severity>()
        var signal = PreviousValue<String>()
        var tenant = PreviousValue<String>()
        var actor = PreviousValue<String>()
        var outcome = PreviousValue<EventOutcome>()
        var direction = PreviousValue<BypassDirection>()
        var raisedAt = PreviousValue<Date>()
        /// Names that recur across the read, not only in consecutive rows (the target of each account's alerts).
        var names = RepeatedText()

        init() {}
    }

    /// Reads the current row of a statement selecting `Columns.all` (stepped by a cursor) as its bytes: a text
    /// becomes a `String` only when it is not the previous row's (`RepeatedValues`), and the row's id becomes text
    /// only for an error. Drift and reports read a month of alerts (200,000 at scale) this way; through `Row`, every
    /// column of every row was made a `String` first, most of them dropped again as repeats.
    init(_ row: StatementColumns, repeated: inout RepeatedValues) throws {
        let id = row.int64(0)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, id: id)
        func required<Value>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> Value) throws -> Value {
            try row.withRequiredText(index, row: decoding.row, column: Columns.all[index].name, body)
        }
        func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
        func closed<Value: RawRepresentable>(_ index: Int, _ bytes: UnsafeRawBufferPointer) throws -> Value
        where Value.RawValue == String {
            try decoding.value(text(bytes), column: Columns.all[index].name)
        }
        func date(_ index: Int, _ bytes: UnsafeRawBufferPointer) throws -> Date {
            try decoding.date(utf8: bytes, column: Columns.all[index].name)
        }
        self.id = id
        ruleID = try required(1) { repeated.ruleID.value(of: $0, text) }
        ruleName = try required(2) { repeated.ruleName.value(of: $0, text) }
        severity = try required(3) { bytes in try repeated.severity.value(of: bytes) { try closed(3, $0) } }
        riskScore = Int(row.int64(4))
        signal = try required(5) { repeated.signal.value(of: $0, text) }
        tenant = try required(6) { repeated.tenant.value(of: $0, text) }
        eventID = try required(7, text)
        eventTime = try required(8) { try date(8, $0) }
        actor = row.withText(9) { bytes in bytes.map { repeated.actor.value(of: $0) { NULSafeText.decode(text($0)) } } }
        target = row.withText(10) { repeated.names.shared(stored: $0, decode: NULSafeText.decode) }
        objectID = row.withText(11) { repeated.names.shared(stored: $0, decode: NULSafeText.decode) }
        outcome = try required(12) { bytes in try repeated.outcome.value(of: bytes) { try closed(12, $0) } }
        direction = try required(13) { bytes in try repeated.direction.value(of: bytes) { try closed(13, $0) } }
        raisedAt = try required(14) { bytes in try repeated.raisedAt.value(of: bytes) { try date(14, $0) } }
        runID = row.int64(15)
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
