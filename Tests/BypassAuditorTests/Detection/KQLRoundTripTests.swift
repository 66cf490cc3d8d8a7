import Foundation
import Testing

import BypassAuditor
import TestSupport
@testable import Detection

/// Property-style tests: printing a tree and parsing the text gives the tree back, for generated trees with awkward
/// values (spaces, keywords, special characters, wildcards, Unicode) and for real queries.
@Suite("KQL: print and parse round trip")
struct KQLRoundTripTests {
    static let fieldNames = [
        "event.action", "o365.audit.Parameters.Identity", "@timestamp", "user.id", "my field", "a:b", "not",
        "OR", "field(1)", "quote\"d", "back\\slash", "ünïcode",
    ]
    static let textPieces = [
        "Set-MailboxAuditBypassAssociation", "True", "false", "a b", " lead", "trail ", "or", "and", "NOT",
        "x or y", "x and y", "not x", "(", ")", ":", "<", ">=", "\"", "\\", "{}", "\\u0041", "tab\there",
        "line\nbreak", "ünïcode", "ÆØÅ", "42", "3.5", "now-5m", "a*", "*", "", "$true", "O'Brien", "  ",
        // Combining marks after a quote, a backslash or a space, and at the start (fuzzing found `"` + U+0332).
        "\u{332}mark", "q\"\u{301}", "\\\u{34F}", " \u{301}x", "(\u{20DD})",
    ]

    static func value(_ rng: inout SeededGenerator, allowWildcards: Bool = true) -> KQLValue {
        if allowWildcards, Int.random(in: 0..<3, using: &rng) == 0 {
            var parts: [KQLValue.Part] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                parts.append(
                    Bool.random(using: &rng) ? .wildcard : .text(textPieces.randomElement(using: &rng)!))
            }
            if !parts.contains(.wildcard) { parts.append(.wildcard) }
            return KQLValue(parts: parts)
        }
        return KQLValue(literal: textPieces.randomElement(using: &rng)!)
    }

    static func values(_ rng: inout SeededGenerator, depth: Int) -> KQLValueExpression {
        let choice = depth <= 0 ? 0 : Int.random(in: 0..<5, using: &rng)
        switch choice {
        case 1: return .or((0..<Int.random(in: 2...3, using: &rng)).map { _ in values(&rng, depth: depth - 1) })
        case 2: return .and((0..<Int.random(in: 2...3, using: &rng)).map { _ in values(&rng, depth: depth - 1) })
        case 3: return .not(values(&rng, depth: depth - 1))
        default: return .value(value(&rng))
        }
    }

    static func expression(_ rng: inout SeededGenerator, depth: Int) -> KQLExpression {
        let choice = depth <= 0 ? Int.random(in: 3..<6, using: &rng) : Int.random(in: 0..<6, using: &rng)
        switch choice {
        case 0: return .or((0..<Int.random(in: 2...3, using: &rng)).map { _ in expression(&rng, depth: depth - 1) })
        case 1: return .and((0..<Int.random(in: 2...3, using: &rng)).map { _ in expression(&rng, depth: depth - 1) })
        case 2: return .not(expression(&rng, depth: depth - 1))
        case 3:
            let field =
                Int.random(in: 0..<6, using: &rng) == 0
                ? KQLValue(parts: [.text("o365.audit.Parameters."), .wildcard])
                : KQLValue(literal: fieldNames.randomElement(using: &rng)!)
            return .match(field: field, values: values(&rng, depth: 2))
        case 4:
            return .range(
                field: KQLValue(literal: fieldNames.randomElement(using: &rng)!),
                comparison: KQLComparison.allCases.randomElement(using: &rng)!,
                bound: textPieces.filter { !$0.isEmpty }.randomElement(using: &rng)!)
        default:
            return .anyField(value(&rng))
        }
    }

    @Test("generated trees survive print → parse", arguments: 0..<4)
    func generatedTrees(seed: UInt64) throws {
        var rng = SeededGenerator(state: seed &* 7919 &+ 17)
        for iteration in 0..<250 {
            let tree = Self.expression(&rng, depth: 4)
            let text = KQLQuery(expression: tree).text
            let reparsed: KQLExpression
            do {
                reparsed = try KQLQuery(text).expression
            } catch {
                Issue.record("seed \(seed) #\(iteration): \(text) did not parse: \(error)")
                continue
            }
            #expect(reparsed == tree, "seed \(seed) #\(iteration): \(text)")
        }
    }

    @Test("real queries survive parse → print → parse, and printing is stable")
    func realQueries() throws {
        var queries = KQLDocumentedCasesTests.cases.map(\.query)
        for rule in try DetectionFixtures.shippedRules().rules { queries.append(rule.query.text) }
        for query in queries {
            let first = try KQLQuery(query)
            let printed = first.description
            let second = try KQLQuery(printed)
            #expect(second.expression == first.expression, "\(query) printed as \(printed)")
            #expect(second.description == printed, "printing is a fixed point for \(query)")
        }
    }

    @Test("printing normalises spacing and keyword case")
    func normalisedPrinting() throws {
        let query = try KQLQuery("  a:b   AND (c:d OR  e : ( f or g ))  ")
        #expect(query.description == "a:b and (c:d or e:(f or g))")
    }
}
