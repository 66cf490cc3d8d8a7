import Core
import Foundation

/// Evaluates KQL over an event's flattened ECS fields the way Elasticsearch evaluates it over keyword fields:
/// values match exactly and case-sensitively, `*` globs, a list field matches when any element does, and a missing
/// field matches nothing (so `not field:x` is true when the field is absent). On ECS `ip` fields an address or CIDR
/// value matches by address, as on Elasticsearch's `ip` type (`client.ip:10.0.0.0/8`, `source.ip:"2001:db8::/32"`).
struct KQLEvaluator {
    let fields: [String: FieldValue]
    /// The clock for date math in range bounds (`@timestamp > now-1d`).
    let now: Date

    func matches(_ expression: KQLExpression) -> Bool {
        switch expression {
        case .or(let operands):
            return operands.contains { matches($0) }
        case .and(let operands):
            return operands.allSatisfy { matches($0) }
        case .not(let operand):
            return !matches(operand)
        case .match(let field, let values):
            return matchingNamedFields(field).contains { name, value in
                matches(values, in: value, isIPField: IPAddressBlock.isIPField(name))
            }
        case .range(let field, let comparison, let bound):
            let limit = RangeBound(bound, now: now)
            return matchingFields(field).contains { value in
                value.flattened.contains { element in limit.accepts(element, comparison) }
            }
        case .anyField(let value):
            return fields.values.contains { field in
                field.flattened.contains { element in Self.element(element, equals: value) }
            }
        }
    }

    /// The values of the fields a (possibly wildcard) field name selects.
    private func matchingFields(_ field: KQLValue) -> [FieldValue] {
        matchingNamedFields(field).map(\.value)
    }

    /// The fields a (possibly wildcard) field name selects, with their names.
    private func matchingNamedFields(_ field: KQLValue) -> [(name: String, value: FieldValue)] {
        if let name = field.literal { return fields[name].map { [(name, $0)] } ?? [] }
        return fields.filter { field.matches($0.key) }.map { ($0.key, $0.value) }
    }

    /// A field matches a value list element-wise for single values (any element), and as a whole for boolean lists,
    /// as Elasticsearch does: `tags:(a and b)` needs both among the field's values.
    private func matches(_ values: KQLValueExpression, in field: FieldValue, isIPField: Bool) -> Bool {
        switch values {
        case .value(let value):
            if value.isWildcardOnly { return !field.flattened.isEmpty }
            if isIPField, let literal = value.literal, let block = IPAddressBlock(literal) {
                return field.flattened.contains { $0.keyword.map(block.contains) ?? false }
            }
            return field.flattened.contains { Self.element($0, equals: value) }
        case .or(let operands):
            return operands.contains { matches($0, in: field, isIPField: isIPField) }
        case .and(let operands):
            return operands.allSatisfy { matches($0, in: field, isIPField: isIPField) }
        case .not(let operand):
            return !matches(operand, in: field, isIPField: isIPField)
        }
    }

    /// One scalar against one value: its keyword text exactly (or by glob), or the same number when both are numbers
    /// (`bytes:100` matches 100.0), as a numeric field would.
    static func element(_ element: FieldValue, equals value: KQLValue) -> Bool {
        guard let keyword = element.keyword else { return false }
        if value.matches(keyword) { return true }
        guard let literal = value.literal else { return false }
        switch element {
        case .integer, .double:
            guard let number = element.number, let wanted = Double(literal) else { return false }
            return number == wanted
        default:
            return false
        }
    }
}

extension FieldValue {
    /// The scalars of this value: itself, or a list's elements (nested lists flattened), as Elasticsearch indexes them.
    var flattened: [FieldValue] {
        switch self {
        case .list(let items): items.flatMap(\.flattened)
        default: [self]
        }
    }
}

/// A range bound, compared as a number when both sides are numbers, as an instant when both are dates (date math
/// allowed), else as keyword text (byte order, as Elasticsearch orders keywords).
struct RangeBound {
    let text: String
    let number: Double?
    let instant: Date?

    init(_ text: String, now: Date) {
        self.text = text
        number = Double(text)
        instant = UTCTimestamp.parse(text) ?? DateMath(text)?.resolve(now: now)
    }

    func accepts(_ element: FieldValue, _ comparison: KQLComparison) -> Bool {
        let order: ComparisonResult
        if let number, let value = element.number {
            order = Self.compare(value, number)
        } else if var instant, let keyword = element.keyword, let value = UTCTimestamp.parse(keyword) {
            // Elasticsearch (so Kibana) fills a bound's missing time of day with the day's last millisecond when it
            // rounds up, for `>` and `<=` ("missing date components"): `> "2026-11-21"` starts the next day.
            if comparison == .greaterThan || comparison == .lessThanOrEqual, text.count == 10, UTCDay(text) != nil {
                instant = instant.addingTimeInterval(86_399.999)
            }
            order = Self.compare(value, instant)
        } else if let keyword = element.keyword {
            order = Self.compare(Array(keyword.utf8), Array(text.utf8))
        } else {
            return false
        }
        switch comparison {
        case .lessThan: return order == .orderedAscending
        case .lessThanOrEqual: return order != .orderedDescending
        case .greaterThan: return order == .orderedDescending
        case .greaterThanOrEqual: return order != .orderedAscending
        }
    }

    private static func compare<T: Comparable>(_ lhs: T, _ rhs: T) -> ComparisonResult {
        lhs < rhs ? .orderedAscending : lhs > rhs ? .orderedDescending : .orderedSame
    }

    private static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> ComparisonResult {
        lhs.lexicographicallyPrecedes(rhs) ? .orderedAscending : lhs == rhs ? .orderedSame : .orderedDescending
    }
}
