import Testing

import BypassAuditor
@testable import Detection

@Suite("KQL: syntax errors name the column")
struct KQLSyntaxErrorTests {
    static let cases: [(query: String, line: Int, column: Int, reason: String)] = [
        ("", 1, 1, "the query is empty"),
        ("   ", 1, 4, "the query is empty"),
        ("event.action:", 1, 14, "expected a value after ':'"),
        ("a:b and )", 1, 9, "unexpected ')'"),
        ("(a:b or c:d", 1, 1, "the parenthesis opened here is never closed"),
        ("a:(b or c", 1, 3, "the parenthesis opened here is never closed"),
        ("a:\"open", 1, 3, "the quoted string opened here is never closed"),
        ("a:b)", 1, 4, "unexpected ')'"),
        ("a:{b:c}", 1, 3, "nested queries (field:{…}) are not supported"),
        ("bytes < 1*", 1, 9, "a range bound cannot contain a wildcard"),
        ("a:b\\q", 1, 4, "'\\q' is not an escape KQL knows"),
        ("a:b and\n  c:)", 2, 5, "unexpected ')'"),
        ("a:b or ", 1, 5, "'or' must be followed by an expression"),
        ("a:b ) c:d", 1, 5, "unexpected ')'"),
        ("bytes <", 1, 8, "expected a value after '<'"),
    ]

    @Test("each malformed query", arguments: cases.indices)
    func malformed(_ index: Int) {
        let testCase = Self.cases[index]
        do {
            _ = try KQLQuery(testCase.query)
            Issue.record("\(testCase.query.debugDescription) parsed, expected an error")
        } catch {
            #expect(error.line == testCase.line, "\(testCase.query.debugDescription): \(error)")
            #expect(error.column == testCase.column, "\(testCase.query.debugDescription): \(error)")
            #expect(error.reason.hasPrefix(testCase.reason), "\(testCase.query.debugDescription): \(error)")
        }
    }

    @Test("the message reads line and column")
    func message() {
        #expect(KQLSyntaxError(reason: "unexpected ')'", line: 1, column: 9).description == "column 9: unexpected ')'")
        #expect(
            KQLSyntaxError(reason: "unexpected ')'", line: 2, column: 5).description
                == "line 2, column 5: unexpected ')'")
    }
}
