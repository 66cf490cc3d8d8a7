import BypassAuditor
import Foundation
import Testing

/// `ReportChange.anchor` is derived from the event id rather than stored: `report.json` must still carry it, and
/// a decoded change must come back equal.
@Suite struct ReportChangeCodingTests {
    private static let change = ReportChange(
        eventID: "evt/ÿ 1", time: Date(timeIntervalSince1970: 1_790_000_000), kind: .enabled, accountKey: "name:svc",
        account: "svc", identity: "svc@contoso.com", actor: nil, actorAuthorized: nil, clientIP: "198.51.100.7",
        outcome: .success, direction: .enabled, originalStatus: nil)

    @Test("the anchor is encoded beside the stored fields, absent optionals are left out, and decoding restores the value")
    func anchorIsEncodedAndDecodingRoundTrips() throws {
        let json = try JSONCoding.string(Self.change, pretty: false)
        #expect(json.contains("\"anchor\":\"\(ReportAnchor.change("evt/ÿ 1"))\""))
        #expect(!json.contains("\"actor\""), "nil is left out, as the synthesized encoding did")
        let decoded = try JSONCoding.decoder().decode(ReportChange.self, from: Data(json.utf8))
        #expect(decoded == Self.change)
        #expect(decoded.anchor == ReportAnchor.change("evt/ÿ 1"))
    }
}
