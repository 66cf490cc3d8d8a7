import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection

/// Queries on ECS `ip` fields, as Elasticsearch evaluates them on its `ip` type: CIDR blocks and addresses match by
/// address, IPv4 and IPv4-mapped IPv6 are one address, and other fields keep keyword semantics.
@Suite("KQL: ip fields")
struct KQLIPFieldTests {
    static let document = AuditEvent(fields: [
        "client.ip": .string("10.20.30.40"),
        "source.ip": .string("2001:db8:85a3::8a2e:370:7334"),
        "related.ip": .list([.string("192.168.1.7"), .string("::ffff:172.16.5.4")]),
        "client.address": .string("10.20.30.40"),
    ])

    static let cases: [(query: String, matches: Bool, why: String)] = [
        ("client.ip:10.0.0.0/8", true, "IPv4 CIDR containing the address"),
        ("client.ip:10.20.30.0/24", true, "narrower IPv4 CIDR"),
        ("client.ip:10.20.31.0/24", false, "IPv4 CIDR not containing it"),
        ("client.ip:11.0.0.0/8", false, "another /8"),
        ("client.ip:0.0.0.0/0", true, "every IPv4 address"),
        ("client.ip:10.20.30.40", true, "an address matches itself"),
        ("client.ip:10.20.30.40/32", true, "a /32 is the address"),
        ("client.ip:\"::ffff:10.20.30.40\"", true, "IPv4-mapped IPv6 is the same address"),
        ("client.ip:\"::ffff:0:0/96\"", true, "the IPv4-mapped block holds every IPv4 address"),
        ("not client.ip:10.0.0.0/8", false, "not over a CIDR"),
        ("client.ip:(192.168.0.0/16 or 10.0.0.0/8)", true, "CIDR in a value list"),
        ("source.ip:\"2001:db8::/32\"", true, "IPv6 CIDR, quoted"),
        ("source.ip:2001\\:db8\\:\\:/32", true, "IPv6 CIDR, escaped colons"),
        ("source.ip:\"2001:db9::/32\"", false, "IPv6 CIDR not containing it"),
        ("source.ip:\"2001:0db8:85a3:0000:0000:8a2e:0370:7334\"", true, "IPv6 spelled out is the same address"),
        ("source.ip:10.0.0.0/8", false, "an IPv4 block never holds an IPv6 address"),
        ("related.ip:172.16.0.0/12", true, "a list: any element, IPv4-mapped element included"),
        ("related.ip:192.168.1.0/24", true, "a list: the plain IPv4 element"),
        ("*.ip:10.0.0.0/8", true, "wildcard field names select ip fields too"),
        ("client.address:10.0.0.0/8", false, "a keyword field compares text, not addresses"),
        ("client.ip:10.0.0.0/33", false, "an impossible prefix is no CIDR, so nothing matches"),
    ]

    @Test("every ip-field case", arguments: cases.indices)
    func ipFieldCase(_ index: Int) throws {
        let testCase = Self.cases[index]
        let query = try KQLQuery(testCase.query)
        #expect(query.matches(Self.document, now: Date()) == testCase.matches, "\(testCase.query): \(testCase.why)")
    }
}
