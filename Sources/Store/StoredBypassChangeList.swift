/// Stored bypass changes in `StoredBypassChange.isEarlier` order, kept as the parts they were read in.
///
/// Drift reads a month's changes in two parts, one per thread (`BypassChangeStore.changes(_:tenant:part:)`).
/// Appending the later part to the earlier copied it change by change, retaining and releasing every text each
/// holds: 80,000 changes at scale, a twentieth of a drift run's serial work. The list reads through both instead.
public struct StoredBypassChangeList: RandomAccessCollection, Sendable {
    // Visible to the inlinable subscript below.
    @usableFromInline let earlier: [StoredBypassChange]
    @usableFromInline let later: [StoredBypassChange]

    /// `changes`, already in order.
    public init(_ changes: [StoredBypassChange]) {
        self.init(earlier: changes, later: [])
    }

    /// `earlier` followed by `later`.
    init(earlier: [StoredBypassChange], later: [StoredBypassChange]) {
        self.earlier = earlier
        self.later = later
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { earlier.count + later.count }

    /// Lent, not copied: a change copied out whole retains every text it holds, and the inventory and drift read each
    /// change's fields several times (200,000 changes at scale). Addressed in place, so reading one field loads that
    /// field alone: a `_read` accessor yielding from either part was not inlined (each access allocated its frame and
    /// copied the change), and a getter copied the change before its field was read. The address stays valid for the
    /// access: both parts are constants of this list, which the access holds.
    @inlinable
    public subscript(position: Int) -> StoredBypassChange {
        unsafeAddress {
            let (part, offset) = position < earlier.count ? (earlier, position) : (later, position - earlier.count)
            precondition(offset >= 0 && offset < part.count, "index out of range")
            return part.withUnsafeBufferPointer { $0.baseAddress! + offset }
        }
    }

    /// Whether no change sorts before the one ahead of it.
    var isInOrder: Bool {
        guard count > 1 else { return true }
        var previous = self[0].orderKey
        for position in 1..<count {
            let current = self[position].orderKey
            if StoredBypassChange.isEarlier(current, previous) { return false }
            previous = current
        }
        return true
    }
}
