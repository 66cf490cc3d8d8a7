/// A parsed KQL (Kibana Query Language, `language = "kuery"`) query.
///
/// The tree keeps the grouping the author wrote: `a or (b or c)` stays a nested `or`, so printing a parsed query and
/// parsing it again gives back the same tree. `and`/`or` nodes always hold two or more operands.
public indirect enum KQLExpression: Sendable, Hashable {
    case or([KQLExpression])
    case and([KQLExpression])
    case not(KQLExpression)
    /// `field:value`, `field:(a or b)`, `field:*` (exists). The field name may hold `*` wildcards.
    case match(field: KQLValue, values: KQLValueExpression)
    /// `field < value`, `field <= value`, `field > value`, `field >= value`.
    case range(field: KQLValue, comparison: KQLComparison, bound: String)
    /// A bare value with no field: matches when any field holds it.
    case anyField(KQLValue)
}

/// The value side of `field:…`: one value or a parenthesised boolean list of them (`field:(a or b and not c)`).
public indirect enum KQLValueExpression: Sendable, Hashable {
    case value(KQLValue)
    case or([KQLValueExpression])
    case and([KQLValueExpression])
    case not(KQLValueExpression)
}

/// A range operator.
public enum KQLComparison: String, Sendable, Hashable, CaseIterable {
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
}

/// A value or field name: literal text with optional `*` wildcards.
///
/// Quoted and unquoted spellings of the same text are the same value (keyword fields match both exactly), so the
/// value keeps only what matters: the text pieces and where the wildcards sit.
public struct KQLValue: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case wildcard
    }

    /// Adjacent text pieces are merged, so equal values have equal parts.
    public let parts: [Part]

    public init(parts: [Part]) {
        var merged: [Part] = []
        for part in parts {
            if case .text(let next) = part {
                if next.isEmpty { continue }
                if case .text(let previous)? = merged.last {
                    merged[merged.count - 1] = .text(previous + next)
                    continue
                }
            }
            merged.append(part)
        }
        self.parts = merged
    }

    /// A value with no wildcard.
    public init(literal: String) {
        self.init(parts: [.text(literal)])
    }

    /// The text when the value has no wildcard.
    public var literal: String? {
        if parts.isEmpty { return "" }
        guard parts.count == 1, case .text(let text) = parts[0] else { return nil }
        return text
    }

    public var hasWildcard: Bool { parts.contains(.wildcard) }

    /// `*` alone: as a value it means "the field exists"; as a field, every field.
    public var isWildcardOnly: Bool { !parts.isEmpty && parts.allSatisfy { $0 == .wildcard } }

    /// Whether `text` matches this value: exactly (case-sensitive) or, with wildcards, as a glob where `*` stands
    /// for any run of characters.
    public func matches(_ text: String) -> Bool {
        guard hasWildcard else { return literal == text }
        return WildcardPattern(self).matches(text)
    }
}

/// A `*` glob over UTF-8 bytes: literal pieces are whole characters, so byte matching gives the character answer.
struct WildcardPattern {
    private let pieces: [[UInt8]]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    init(_ value: KQLValue) {
        var pieces: [[UInt8]] = []
        for part in value.parts {
            if case .text(let text) = part { pieces.append(Array(text.utf8)) }
        }
        self.pieces = pieces
        anchoredStart = value.parts.first.map { $0 != .wildcard } ?? true
        anchoredEnd = value.parts.last.map { $0 != .wildcard } ?? true
    }

    func matches(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var remaining = pieces[...]
        var start = 0
        var end = bytes.count
        if anchoredStart, let first = remaining.first {
            guard bytes.starts(with: first) else { return false }
            start = first.count
            remaining = remaining.dropFirst()
        }
        if anchoredEnd, let last = remaining.last {
            guard end - start >= last.count, bytes[(end - last.count)..<end].elementsEqual(last) else { return false }
            end -= last.count
            remaining = remaining.dropLast()
        }
        // Middle pieces: leftmost match each, in order (greedy leftmost is optimal for `*`-only globs).
        for piece in remaining {
            guard let found = Self.find(piece, in: bytes, from: start, to: end) else { return false }
            start = found + piece.count
        }
        return start <= end
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, to: Int) -> Int? {
        guard !needle.isEmpty else { return from }
        guard to - from >= needle.count else { return nil }
        var index = from
        while index + needle.count <= to {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
