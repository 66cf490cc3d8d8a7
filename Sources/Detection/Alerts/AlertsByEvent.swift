/// What `AlertsByEvent` needs of an alert: the event it fired on (drift indexes `Alert`s, reports their rows).
public protocol RaisedOnEvent {
    var eventID: String { get }
}

extension Alert: RaisedOnEvent {}

/// Alerts found by the event they fired on, each event's in the order given.
///
/// Drift and reports look alerts up per bypass change, over a month that raises 200,000 of them, nearly all one per
/// event: a dictionary of arrays spent a heap block per event. This keeps the alerts once, with the position of each
/// event's first alert and, per alert, the position of the next alert of the same event.
///
/// Inlinable, so that drift and reports get it specialised for their alert type: generic across the module
/// boundary, building it over 200,000 alerts took twice as long.
public struct AlertsByEvent<Item: RaisedOnEvent & Sendable>: Sendable {
    @usableFromInline let alerts: [Item]
    @usableFromInline let first: [String: Int]
    /// Per alert, the position of the next alert of the same event (-1: none).
    @usableFromInline let next: [Int]

    @inlinable
    public init(_ alerts: [Item]) {
        self.alerts = alerts
        var first: [String: Int] = [:]
        first.reserveCapacity(alerts.count)
        var next = [Int](repeating: -1, count: alerts.count)
        // Per event's first alert, the position of its last one so far (where the next one is linked on).
        var tail = [Int](repeating: -1, count: alerts.count)
        for (index, alert) in alerts.enumerated() {
            if let head = first[alert.eventID] {
                next[tail[head]] = index
                tail[head] = index
            } else {
                first[alert.eventID] = index
                tail[index] = index
            }
        }
        self.first = first
        self.next = next
    }

    /// The alerts of `eventID`, in the order given; nil when it raised none.
    @inlinable
    public subscript(eventID eventID: String) -> [Item]? {
        guard var index = first[eventID] else { return nil }
        var found: [Item] = []
        while index >= 0 {
            found.append(alerts[index])
            index = next[index]
        }
        return found
    }
}
