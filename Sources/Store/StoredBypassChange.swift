import Core
import Foundation

/// A `BypassChangeFact` as stored: with its position in insertion order and the instant it counts at.
@dynamicMemberLookup
public struct StoredBypassChange: Sendable, Hashable {
    public var fact: BypassChangeFact
    /// The fact's rowid in `bypass_change`: insertion order, the tie-break between changes at the same instant.
    /// `EventStore.insert` writes the fact in its event's transaction (and `v2-bypass-change` backfilled in event
    /// order), and the tool never deletes either row, so this order is the events' insertion order.
    public var rowID: Int64
    /// The event time; for a record without one, when the tool stored the event, which stands in for it.
    public var effectiveTime: Date

    public init(fact: BypassChangeFact, rowID: Int64, effectiveTime: Date) {
        self.fact = fact
        self.rowID = rowID
        self.effectiveTime = effectiveTime
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<BypassChangeFact, Value>) -> Value { fact[keyPath: keyPath] }

    /// Event time first (records without one sort first, by insertion), insertion order breaks ties.
    public static func isEarlier(_ lhs: StoredBypassChange, _ rhs: StoredBypassChange) -> Bool {
        isEarlier(lhs.orderKey, rhs.orderKey)
    }

    /// What the order compares, without the texts: checking a month of changes' order with whole changes copied
    /// each of them out.
    public struct OrderKey: Sendable, Hashable {
        public var time: Date?
        public var rowID: Int64
    }

    public var orderKey: OrderKey { OrderKey(time: fact.time, rowID: rowID) }

    /// `isEarlier`, on order keys.
    public static func isEarlier(_ lhs: OrderKey, _ rhs: OrderKey) -> Bool {
        switch (lhs.time, rhs.time) {
        case let (left?, right?) where left != right: return left < right
        case (nil, _?): return true
        case (_?, nil): return false
        default: return lhs.rowID < rhs.rowID
        }
    }
}
