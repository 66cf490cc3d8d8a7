import Foundation

/// A span of time as Elastic rules write it: `5m`, `30s`, `1h`, `2d` (and `500ms`, `1.5s` for short test intervals).
public struct RuleDuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let seconds: TimeInterval
    /// The text it was read from, kept for messages and output.
    public let text: String

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(suffix: String, seconds: Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400),
        ]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number), value.isFinite, value >= 0
            else { return nil }
            seconds = value * unit.seconds
            self.text = trimmed
            return
        }
        return nil
    }

    public init(seconds: TimeInterval) {
        self.seconds = seconds
        if seconds.truncatingRemainder(dividingBy: 3600) == 0, seconds >= 3600 {
            text = "\(Int(seconds / 3600))h"
        } else if seconds.truncatingRemainder(dividingBy: 60) == 0, seconds >= 60 {
            text = "\(Int(seconds / 60))m"
        } else if seconds.truncatingRemainder(dividingBy: 1) == 0 {
            text = "\(Int(seconds))s"
        } else {
            text = "\(Int((seconds * 1000).rounded()))ms"
        }
    }

    public var description: String { text }

    public static func < (lhs: RuleDuration, rhs: RuleDuration) -> Bool { lhs.seconds < rhs.seconds }
    public static func == (lhs: RuleDuration, rhs: RuleDuration) -> Bool { lhs.seconds == rhs.seconds }
    public func hash(into hasher: inout Hasher) { hasher.combine(seconds) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let duration = RuleDuration(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a duration: \(text)")
        }
        self = duration
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
