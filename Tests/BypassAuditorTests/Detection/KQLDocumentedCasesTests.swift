import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection

/// The behaviour Kibana's KQL documentation describes, over one document of keyword, numeric, date and list fields.
@Suite("KQL: documented cases")
struct KQLDocumentedCasesTests {
    static let document = AuditEvent(fields: [
        "http.request.method": .string("GET"),
        "http.response.status_code": .integer(404),
        "http.response.bytes": .integer(12_000),
        "http.request.referrer": .string("https://example.com"),
        "http.request.body.content": .string("null pointer exception"),
        "tags": .list([.string("production"), .string("eu-west")]),
        "@timestamp": .string("2026-11-20T10:00:00.000Z"),
        "user.id": .string("admin@contoso.com"),
        "message": .string("A*B"),
        "o365.audit.ResultStatus": .string("True"),
        "o365.audit.ExternalAccess": .bool(true),
        "score": .double(2.5),
    ])
    static let now = UTCTimestamp.parse("2026-11-20T12:00:00Z")!

    static let cases: [(query: String, matches: Bool, why: String)] = [
        ("http.request.method:GET", true, "field:value"),
        ("http.request.method: GET", true, "spaces after the colon"),
        ("http.request.method:get", false, "keyword values are case-sensitive"),
        ("http.request.method:GE", false, "keyword values match whole, not as prefixes"),
        ("http.request.method:*", true, "field:* means the field exists"),
        ("http.request.missing:*", false, "a missing field does not exist"),
        ("not http.request.missing:*", true, "not exists"),
        ("http.request.method:(GET or POST)", true, "value list: any"),
        ("http.request.method:(PUT or POST)", false, "value list: none"),
        ("http.request.method:GET and http.response.status_code:404", true, "and"),
        ("http.request.method:POST or http.response.status_code:404", true, "or"),
        ("http.request.method:GET or http.response.status_code:500 and http.request.method:PUT", true,
         "and binds tighter than or: GET or (500 and PUT)"),
        ("(http.request.method:GET or http.response.status_code:500) and http.request.method:PUT", false,
         "parentheses override precedence"),
        ("not http.request.method:GET or http.response.status_code:404", true,
         "not binds tighter than or: (not GET) or 404"),
        ("not (http.request.method:GET or http.response.status_code:404)", false, "not over a group"),
        ("NOT http.request.method:POST AND http.response.status_code:404", true, "operators are case-insensitive"),
        ("http.request.method:G*", true, "trailing wildcard"),
        ("http.request.method:*ET", true, "leading wildcard"),
        ("http.request.method:*E*", true, "wildcards on both sides"),
        ("http.request.method:g*", false, "wildcards keep case-sensitivity"),
        ("http.request.referrer:\"https://example.com\"", true, "quoted value with special characters"),
        ("http.request.referrer:https\\://example.com", true, "escaped special character"),
        ("http.request.body.content:\"null pointer\"", false, "a keyword phrase matches the whole value only"),
        ("http.request.body.content:null pointer exception", true, "unquoted values may hold spaces"),
        ("http.request.body.content:\"null pointer exception\"", true, "quoted whole value"),
        ("http.response.bytes < 20000", true, "range <"),
        ("http.response.bytes > 10000 and http.response.bytes <= 12000", true, "range > and <="),
        ("http.response.bytes >= 12001", false, "range >="),
        ("http.response.bytes < 9999", false, "range compares numbers, not text"),
        ("score > 2", true, "range on a float"),
        ("@timestamp < now", true, "date range with date math"),
        ("@timestamp >= now-1d", true, "date math subtraction"),
        ("@timestamp >= now-1h", false, "outside the last hour"),
        ("@timestamp > \"2026-11-21\"", false, "date range with a date"),
        ("@timestamp <= \"2026-11-20T10:00:00Z\"", true, "range bound is inclusive with <="),
        ("tags:production", true, "a list matches when any element matches"),
        ("tags:(production and eu-west)", true, "and within a value list needs both among the elements"),
        ("tags:(production and us-east)", false, "and within a value list: one missing"),
        ("not tags:staging", true, "not over a list"),
        ("tags:(not staging)", true, "not inside a value list"),
        ("message:\"A*B\"", true, "a quoted * is a literal asterisk"),
        ("message:A\\*B", true, "an escaped * is a literal asterisk"),
        ("message:\"A*\"", false, "quoted: no wildcard"),
        ("message:A*", true, "unquoted: wildcard"),
        ("admin@contoso.com", true, "a bare value searches every field"),
        ("nothing-here", false, "a bare value no field holds"),
        ("user.id:*@contoso.com", true, "wildcard on an address"),
        ("http.response.status_code:404", true, "a number matches a numeric field"),
        ("http.response.status_code:\"404\"", true, "quoted number"),
        ("http.response.status_code:404.0", true, "numbers compare as numbers"),
        ("http.*:GET", true, "wildcard in the field name"),
        ("http.*:DELETE", false, "wildcard field name, no value matches"),
        ("o365.audit.ResultStatus:True", true, "O365 writes ResultStatus as the string True"),
        ("o365.audit.ResultStatus:true", false, "which is not the keyword true"),
        ("o365.audit.ExternalAccess:true", true, "a boolean matches true"),
    ]

    @Test("every documented case", arguments: cases.indices)
    func documentedCase(_ index: Int) throws {
        let testCase = Self.cases[index]
        let query = try KQLQuery(testCase.query)
        #expect(
            query.matches(Self.document, now: Self.now) == testCase.matches,
            "\(testCase.query): \(testCase.why)")
    }

    @Test("precedence is visible in the tree")
    func precedenceTree() throws {
        let query = try KQLQuery("a:1 or b:2 and not c:3")
        let a = KQLExpression.match(field: KQLValue(literal: "a"), values: .value(KQLValue(literal: "1")))
        let b = KQLExpression.match(field: KQLValue(literal: "b"), values: .value(KQLValue(literal: "2")))
        let c = KQLExpression.match(field: KQLValue(literal: "c"), values: .value(KQLValue(literal: "3")))
        #expect(query.expression == .or([a, .and([b, .not(c)])]))
    }

    @Test("the seed query matches a successful bypass change and nothing else")
    func seedQuery() throws {
        let query = try KQLQuery(
            "event.dataset:o365.audit and event.provider:Exchange and event.action:Set-MailboxAuditBypassAssociation and event.outcome:success"
        )
        #expect(query.matches(DetectionFixtures.bypass(id: "1", enabled: true)))
        #expect(query.matches(DetectionFixtures.bypass(id: "2", enabled: false)), "the seed matches removals too")
        #expect(!query.matches(DetectionFixtures.bypass(id: "3", enabled: true, outcome: .failure)))
        #expect(!query.matches(DetectionFixtures.event(id: "4", action: "Set-Mailbox")))
    }
}
