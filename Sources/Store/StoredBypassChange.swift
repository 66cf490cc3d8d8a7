import Core
import Foundation

/// A `BypassChangeFact` as stored: with the event's row id (insertion order) and the time the tool stored it.
@dynamicMemberLookup
public struct StoredBypassChange: Sendable, Hashable {
    public var fact: BypassChangeFact
    /// The event's rowid: insertion order, the tie-break between changes at the same instant.
    public var rowID: Int64
    /// When the tool stored the event (stands in for the event time of a record without one).
    public var ingestedAt: Date

    public init(fact: BypassChangeFact, rowID: Int64, ingestedAt: Date) {
        self.fact = fact
        self.rowID = rowID
        self.ingestedAt = ingestedAt
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<BypassChangeFact, Value>) -> Value { fact[keyPath: keyPath] }

    /// Event time first (records without one sort first, by insertion), insertion order breaks ties.
    public static func isEarlier(_ lhs: StoredBypassChange, _ rhs: StoredBypassChange) -> Bool {
        switch (lhs.fact.time, rhs.fact.time) {
        case let (left?, right?) where left != right: return left < right
        case (nil, _?): return true
        case (_?, nil): return false
        default: return lhs.rowID < rhs.rowID
        }
    }
}
