extension Alert {
    /// Oldest event first, then by id: the order `AlertStore.alerts` hands alerts over, and drift and reports use.
    public static func isEarlierInEventOrder(_ lhs: Alert, _ rhs: Alert) -> Bool {
        lhs.eventTime != rhs.eventTime ? lhs.eventTime < rhs.eventTime : lhs.id < rhs.id
    }
}

extension Array where Element == Alert {
    /// These alerts in event order (`Alert.isEarlierInEventOrder`). When they already are, as the store hands them
    /// over, the array itself is returned: a month's alerts (200,000 at scale) are neither sorted nor copied.
    public func inEventOrder() -> [Alert] {
        let ordered = !zip(self, dropFirst()).contains { Alert.isEarlierInEventOrder($1, $0) }
        return ordered ? self : sorted(by: Alert.isEarlierInEventOrder)
    }
}
