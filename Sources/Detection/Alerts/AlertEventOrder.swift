import Foundation

/// What the event order of alerts looks at: the event's time, then the alert's id.
public protocol InEventOrder {
    var id: Int64 { get }
    var eventTime: Date { get }
}

extension InEventOrder {
    /// Oldest event first, then by id: the order `AlertStore` hands alerts over, and drift and reports use.
    @inlinable
    public static func isEarlierInEventOrder(_ lhs: Self, _ rhs: Self) -> Bool {
        lhs.eventTime != rhs.eventTime ? lhs.eventTime < rhs.eventTime : lhs.id < rhs.id
    }
}

extension Alert: InEventOrder {}
extension AlertReference: InEventOrder {}

extension Array where Element: InEventOrder {
    /// These alerts in event order (`isEarlierInEventOrder`). When they already are, as the store hands them over,
    /// the array itself is returned: a month's alerts (200,000 at scale) are neither sorted nor copied. Inlinable,
    /// so the check is specialised for the caller's alert type (generic, it took 70 ms over 200,000).
    @inlinable
    public func inEventOrder() -> [Element] {
        // By position, the elements compared in place: pairing them by value (`zip` with `dropFirst`) copied each
        // alert, retaining every text it holds, twice: 20 ms of a report at scale.
        let ordered = indices.dropFirst().allSatisfy { !Element.isEarlierInEventOrder(self[$0], self[$0 - 1]) }
        return ordered ? self : sorted(by: Element.isEarlierInEventOrder)
    }
}
