import Core

/// The text a query needs to see in a raw log line before the line can possibly match: groups of literals, where a
/// line can match only if it contains every literal of at least one group. Ingest uses these to skip lines without
/// parsing them, so every literal here must appear byte for byte in the raw record of any event the query matches.
///
/// That holds only for values copied verbatim from the raw record into the event:
/// - fields copied from the record (`event.action` ← Operation, `event.provider` ← Workload, `event.id` ← Id,
///   `user.id` ← UserId, `o365.audit.*` ← the record's own keys) — not fields Elastic derives or rewrites
///   (`event.dataset`, `event.outcome`, `event.code`, `event.kind`…, `organization.id` lowercased, `@timestamp`);
/// - values of plain ASCII that no JSON or CSV writer escapes (no quote, backslash, slash, `<>&'+`, no control
///   characters), without wildcards, and not numbers (`1` may be written `1.0`);
/// - and the parameter name of an `o365.audit.Parameters.<Name>` field, which is in the record whatever its value.
public struct KQLRequiredLiterals: Sendable, Hashable {
    /// Alternatives: one group must be fully present. An empty group means "no requirement" (every line may match).
    public let groups: [Set<String>]

    /// Beyond this many alternatives a conjunction keeps only its most selective operand (still a sound prefilter).
    static let maximumGroups = 32

    public init(_ expression: KQLExpression) {
        groups = Self.minimised(Self.groups(of: expression))
    }

    /// True when some way of matching needs no literal: every line must be parsed.
    public var matchesEverything: Bool { groups.contains { $0.isEmpty } }

    /// The groups as sorted arrays (stable order for tests and output).
    public var sortedGroups: [[String]] {
        groups.map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    private static let noRequirement: [Set<String>] = [[]]

    private static func groups(of expression: KQLExpression) -> [Set<String>] {
        switch expression {
        case .or(let operands):
            return minimised(operands.flatMap(groups(of:)))
        case .and(let operands):
            return conjunction(operands.map(groups(of:)))
        case .not:
            // A negation requires absence, never presence.
            return noRequirement
        case .range(let field, _, _):
            return parameterName(field).map { [[$0]] } ?? noRequirement
        case .anyField:
            // A bare value may match a derived field (`o365.audit` is event.dataset's value).
            return noRequirement
        case .match(let field, let values):
            let name = parameterName(field)
            guard let fieldName = field.literal, isVerbatimField(fieldName) else {
                return name.map { [[$0]] } ?? noRequirement
            }
            let valueGroups = groups(of: values)
            guard let name else { return valueGroups }
            return valueGroups.map { $0.union([name]) }
        }
    }

    private static func groups(of values: KQLValueExpression) -> [Set<String>] {
        switch values {
        case .value(let value):
            guard let literal = value.literal, isVerbatimText(literal) else { return noRequirement }
            return [[literal]]
        case .or(let operands):
            return minimised(operands.flatMap(groups(of:)))
        case .and(let operands):
            return conjunction(operands.map(groups(of:)))
        case .not:
            return noRequirement
        }
    }

    /// All operands must match: each alternative of the result picks one alternative per operand.
    private static func conjunction(_ operands: [[Set<String>]]) -> [Set<String>] {
        var product: [Set<String>] = [[]]
        for alternatives in operands {
            let next = product.flatMap { chosen in alternatives.map { chosen.union($0) } }
            if next.count > maximumGroups {
                // Too many combinations: any single operand's alternatives are still required, keep the most
                // selective one (fewest alternatives, then most literals).
                let candidates = operands.filter { !$0.contains { $0.isEmpty } }
                guard let best = candidates.min(by: { lhs, rhs in
                    lhs.count != rhs.count
                        ? lhs.count < rhs.count
                        : lhs.map(\.count).reduce(0, +) > rhs.map(\.count).reduce(0, +)
                }) else { return noRequirement }
                return minimised(best)
            }
            product = minimised(next)
        }
        return product
    }

    /// Drops groups that contain another group (needing more is implied by needing less), and duplicates.
    private static func minimised(_ groups: [Set<String>]) -> [Set<String>] {
        let unique = Array(Set(groups)).sorted { $0.count < $1.count }
        var kept: [Set<String>] = []
        for group in unique where !kept.contains(where: { $0.isSubset(of: group) }) {
            kept.append(group)
        }
        return kept
    }

    /// Fields whose values Elastic's pipeline copies verbatim from the raw record.
    static func isVerbatimField(_ name: String) -> Bool {
        if name.hasPrefix("o365.audit.") { return name != ECSField.rawParameters }
        return [ECSField.action, ECSField.provider, ECSField.eventID, ECSField.userID].contains(name)
    }

    /// `Name` of `o365.audit.Parameters.Name`, when it is a plain identifier.
    private static func parameterName(_ field: KQLValue) -> String? {
        guard let name = field.literal, name.hasPrefix(ECSField.parametersPrefix) else { return nil }
        let parameter = String(name.dropFirst(ECSField.parametersPrefix.count))
        guard parameter != "_raw", !parameter.isEmpty,
            parameter.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else { return nil }
        return parameter
    }

    /// Text every JSON and CSV writer leaves as is.
    static func isVerbatimText(_ text: String) -> Bool {
        guard !text.isEmpty, Double(text) == nil else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:,;@#$%()[]{}!?=~|^".unicodeScalars)
        return text.unicodeScalars.allSatisfy(allowed.contains)
    }
}
