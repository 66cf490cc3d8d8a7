import Foundation
import TestSupport
import Testing

import BypassAuditor
@testable import Core
@testable import Detection

/// KQL → query DSL: the shape of each construct, and the same matches as the KQL engine on the same documents.
@Suite("KQL: query DSL translation")
struct KQLQueryDSLTests {
    private func dsl(_ text: String) throws -> JSONTree { try KQLQuery(text).queryDSL }

    @Test("field:value is a match; a value with spaces is a match_phrase")
    func matchAndPhrase() throws {
        #expect(try dsl("event.action:Set-Mailbox") == ["match": ["event.action": ["query": "Set-Mailbox"]]])
        #expect(try dsl("m:\"null pointer\"") == ["match_phrase": ["m": ["query": "null pointer"]]])
    }

    @Test("field:* is exists; wildcards are a wildcard query with ? and \\ escaped")
    func existsAndWildcard() throws {
        #expect(try dsl("user.id:*") == ["exists": ["field": "user.id"]])
        #expect(
            try dsl("m:a?b*") == ["wildcard": ["m": ["value": "a\\?b*", "case_insensitive": false]]],
            "? is literal text in KQL, a wildcard in Lucene")
        #expect(try dsl("m:A\\*B*") == ["wildcard": ["m": ["value": "A\\*B*", "case_insensitive": false]]])
        #expect(try dsl("m:a\\\\b*") == ["wildcard": ["m": ["value": "a\\\\b*", "case_insensitive": false]]])
    }

    @Test("and, or, not and grouping become bool filter, should (minimum 1) and must_not")
    func booleans() throws {
        let a: JSONTree = ["match": ["a": ["query": "1"]]]
        let b: JSONTree = ["match": ["b": ["query": "2"]]]
        let c: JSONTree = ["match": ["c": ["query": "3"]]]
        #expect(
            try dsl("a:1 or b:2 and not c:3")
                == ["bool": ["should": [a, ["bool": ["filter": [b, ["bool": ["must_not": [c]]]]]]], "minimum_should_match": 1]])
        #expect(try dsl("(a:1 or b:2) and c:3") == ["bool": ["filter": [["bool": ["should": [a, b], "minimum_should_match": 1]], c]]])
    }

    @Test("value lists; a not inside one needs the field to exist")
    func valueLists() throws {
        let x: JSONTree = ["match": ["f": ["query": "x"]]]
        let y: JSONTree = ["match": ["f": ["query": "y"]]]
        #expect(try dsl("f:(x or y)") == ["bool": ["should": [x, y], "minimum_should_match": 1]])
        #expect(try dsl("f:(x and y)") == ["bool": ["filter": [x, y]]])
        #expect(try dsl("f:(not x)") == ["bool": ["filter": [["exists": ["field": "f"]], ["bool": ["must_not": [x]]]]]])
    }

    @Test("ranges, numbers, booleans and dotted names")
    func rangesAndScalars() throws {
        #expect(try dsl("http.response.bytes >= 10") == ["range": ["http.response.bytes": ["gte": "10"]]])
        #expect(try dsl("@timestamp < now-1d") == ["range": ["@timestamp": ["lt": "now-1d"]]])
        #expect(try dsl("a.b.c:true") == ["match": ["a.b.c": ["query": "true"]]])
        #expect(try dsl("a.b.c:404") == ["match": ["a.b.c": ["query": "404"]]])
    }

    @Test("wildcard field names and bare values search field patterns, with Lucene specials escaped")
    func patternsAndBareValues() throws {
        #expect(
            try dsl("http.*:GET")
                == ["multi_match": ["query": "GET", "type": "phrase", "lenient": true, "fields": ["http.*"]]])
        #expect(
            try dsl("admin@contoso.com")
                == ["multi_match": ["query": "admin@contoso.com", "type": "phrase", "lenient": true, "fields": ["*"]]])
        #expect(
            try dsl("a:b? c*")
                == ["wildcard": ["a": ["value": "b\\? c*", "case_insensitive": false]]])
        #expect(
            try dsl("http.*:a\\:b?*")
                == ["query_string": ["query": "a\\:b\\?*", "fields": ["http.*"], "lenient": true]])
    }

    @Test("every shipped rule translates to DSL the evaluator accepts")
    func shippedRules() throws {
        let rules = try DetectionFixtures.shippedRules()
        #expect(rules.rules.count >= 6)
        for rule in rules.rules {
            let evaluator = QueryDSLEvaluator(fields: [:], now: Date())
            _ = try evaluator.matches(rule.query.queryDSL)
            let text = rule.query.queryDSL.jsonText()
            #expect(try JSONTree.parse(Data(text.utf8)) == rule.query.queryDSL, "valid JSON that reads back the same")
        }
    }

    // MARK: - Equivalence with the KQL engine

    static let now = KQLDocumentedCasesTests.now

    static let documents: [AuditEvent] = [
        KQLDocumentedCasesTests.document,
        AuditEvent(fields: [
            "http.request.method": .string("POST"),
            "http.response.status_code": .string("500"),
            "tags": .list([.string("staging")]),
            "message": .string("A?B"),
            "@timestamp": .string("2026-11-19T10:00:00.000Z"),
        ]),
        AuditEvent(fields: [
            "message": .string("AxB"),
            "user.id": .string("b.jones@contoso.com"),
            "http.response.bytes": .double(12_000.5),
            "o365.audit.ResultStatus": .string("true"),
        ]),
        AuditEvent(fields: ["tags": .list([.string("staging"), .string("eu-west")]), "score": .integer(2), "http.request.body.content": .string("null pointer")]),
        DetectionFixtures.bypass(id: "b1", enabled: true),
        DetectionFixtures.bypass(id: "b2", enabled: false, outcome: .failure),
        DetectionFixtures.event(id: "e1", action: "Set-Mailbox"),
    ]

    static let extraQueries = [
        "message:A?B", "message:A?*", "tags:(not staging)", "not tags:(production or staging)", "tags:*",
        "http.response.status_code:500", "http.response.status_code >= 404", "score:2", "score < 2.5",
        "http.request.body.content:null pointer", "http.*:(POST or GET)", "b.jones@contoso.com",
        "o365.audit.*:True", "user.id:(*@contoso.com and not admin*)", "not (a:1 or not message:*)",
    ]

    static var allQueries: [String] {
        KQLDocumentedCasesTests.cases.map(\.query) + extraQueries
    }

    @Test("the DSL matches exactly the documents the engine matches", arguments: allQueries)
    func sameMatches(_ text: String) throws {
        let query = try KQLQuery(text)
        let dsl = query.queryDSL
        for (index, document) in Self.documents.enumerated() {
            let engine = query.matches(document, now: Self.now)
            let cluster = try QueryDSLEvaluator(fields: document.fields, now: Self.now).matches(dsl)
            #expect(engine == cluster, "\(text) on document \(index): engine \(engine), DSL \(cluster): \(dsl.jsonText())")
        }
    }

    @Test("shipped rules: the DSL matches exactly the events the engine matches")
    func shippedRulesSameMatches() throws {
        let rules = try DetectionFixtures.shippedRules()
        let events = Self.documents + [
            DetectionFixtures.event(id: "s1", action: "Set-Mailbox", parameters: ["AuditEnabled": "False"]),
            DetectionFixtures.event(id: "s2", action: "Set-Mailbox", parameters: ["AuditOwner": "Remove-X"]),
            DetectionFixtures.event(id: "s3", action: "Set-Mailbox", parameters: ["AuditOwner": "MailItemsAccessed"]),
            DetectionFixtures.event(id: "s4", action: "Set-OrganizationConfig", parameters: ["AuditDisabled": "true"]),
        ]
        var matchedSomething = false
        for rule in rules.rules {
            for event in events {
                let engine = rule.query.matches(event, now: Self.now)
                matchedSomething = matchedSomething || engine
                let cluster = try QueryDSLEvaluator(fields: event.fields, now: Self.now).matches(rule.query.queryDSL)
                #expect(engine == cluster, "\(rule.name) on \(event.id ?? "?")")
            }
        }
        #expect(matchedSomething)
    }
}
