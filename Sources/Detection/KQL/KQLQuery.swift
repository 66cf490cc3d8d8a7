import Core
import Foundation

/// A KQL query: its text, its parsed tree, and evaluation over stored events.
public struct KQLQuery: Sendable, Hashable, CustomStringConvertible {
    /// The query as written.
    public let text: String
    public let expression: KQLExpression

    /// Parses `text`; the error names the line and column where parsing stopped.
    public init(_ text: String) throws(KQLSyntaxError) {
        self.text = text
        expression = try KQLParser.parse(text)
    }

    public init(expression: KQLExpression) {
        self.expression = expression
        text = KQLPrinter.print(expression)
    }

    /// Whether `event` matches. `now` is the clock for date math in range bounds.
    public func matches(_ event: AuditEvent, now: Date = Date()) -> Bool {
        KQLEvaluator(fields: event.fields, now: now).matches(expression)
    }

    /// The query printed from its tree (normalised spacing and quoting); parses back to the same tree.
    public var description: String { KQLPrinter.print(expression) }
}
