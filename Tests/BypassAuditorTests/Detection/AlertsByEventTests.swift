import Foundation
import Testing

@testable import Core
@testable import Detection

@Suite("Detection: alerts looked up by their event")
struct AlertsByEventTests {
    private static func alert(id: Int64, event: String, signal: DetectionSignal = .bypassChange) -> Alert {
        Alert(
            id: id, ruleID: "rule-\(id)", ruleName: "Rule", severity: .high, riskScore: 73, signal: signal,
            tenant: TenantID("tenant-a"), eventID: event, eventTime: Date(timeIntervalSince1970: Double(id)),
            actor: "admin", target: "svc", objectID: nil, outcome: .success, direction: .enabled,
            raisedAt: Date(timeIntervalSince1970: 1000), triage: nil)
    }

    @Test("each event's alerts in the order given, interleaved with other events; nil for an event without any")
    func groupsInOrder() {
        let alerts = [
            Self.alert(id: 1, event: "a"), Self.alert(id: 2, event: "b"), Self.alert(id: 3, event: "a"),
            Self.alert(id: 4, event: "c", signal: .mailboxAuditDisabled), Self.alert(id: 5, event: "a"),
        ]
        let index = AlertsByEvent(alerts)
        #expect(index[eventID: "a"]?.map(\.id) == [1, 3, 5])
        #expect(index[eventID: "b"]?.map(\.id) == [2])
        #expect(index[eventID: "none"] == nil)
        #expect(AlertsByEvent<Alert>([])[eventID: "a"] == nil)
    }
}
