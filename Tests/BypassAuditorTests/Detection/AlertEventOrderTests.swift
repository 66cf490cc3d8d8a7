import Foundation
import Testing

@testable import Core
@testable import Detection

@Suite("Detection: alerts in event order")
struct AlertEventOrderTests {
    private static func alert(id: Int64, at seconds: Double) -> AlertReference {
        AlertReference(
            id: id, tenant: TenantID("tenant-a"), eventID: "event-\(id)", eventTime: Date(timeIntervalSince1970: seconds),
            raisedAt: Date(timeIntervalSince1970: 1000), ruleName: "Rule", signal: .bypassChange, triaged: false)
    }

    @Test("oldest event first, then by id; alerts already in that order come back as they are", arguments: [
        [(1, 10.0), (2, 20.0), (3, 30.0)],
        [(3, 30.0), (1, 10.0), (2, 20.0)],
        [(2, 10.0), (1, 10.0), (3, 5.0)],
        [(1, 10.0), (1, 10.0), (2, 10.0)],
        [(5, 1.0)], [],
    ] as [[(Int64, Double)]])
    func ordersByTimeThenID(pairs: [(Int64, Double)]) {
        let alerts = pairs.map { Self.alert(id: $0.0, at: $0.1) }
        let expected = alerts.sorted { ($0.eventTime, $0.id) < ($1.eventTime, $1.id) }
        #expect(alerts.inEventOrder().map(\.id) == expected.map(\.id))
        #expect(alerts.inEventOrder().map(\.eventTime) == expected.map(\.eventTime))
    }
}
