import Core
import Foundation

/// Elasticsearch date math: `now`, `now-6m`, `now-1d/d`, `2026-11-21||+1M`. Units `y M w d h H m s`; `/unit` rounds
/// down to the start of that unit, in UTC.
public struct DateMath: Sendable, Hashable, CustomStringConvertible {
    enum Anchor: Sendable, Hashable {
        case now
        case instant(Date)
    }

    enum Step: Sendable, Hashable {
        case add(Int, Calendar.Component)
        case roundDown(Calendar.Component)
    }

    let anchor: Anchor
    let steps: [Step]
    public let text: String

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var rest: Substring
        if trimmed.hasPrefix("now") {
            anchor = .now
            rest = trimmed.dropFirst(3)
        } else if let separator = trimmed.range(of: "||") {
            guard let instant = UTCTimestamp.parse(String(trimmed[..<separator.lowerBound])) else { return nil }
            anchor = .instant(instant)
            rest = trimmed[separator.upperBound...]
        } else {
            return nil
        }
        var steps: [Step] = []
        while let sign = rest.first {
            rest = rest.dropFirst()
            if sign == "/" {
                guard let unit = rest.first, let component = Self.component(unit) else { return nil }
                steps.append(.roundDown(component))
                rest = rest.dropFirst()
                continue
            }
            guard sign == "+" || sign == "-" else { return nil }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let component = Self.component(unit) else { return nil }
            rest = rest.dropFirst()
            let amount = digits.isEmpty ? 1 : Int(digits)
            guard let amount else { return nil }
            steps.append(.add(sign == "-" ? -amount : amount, component))
        }
        self.steps = steps
        self.text = trimmed
    }

    public var description: String { text }

    /// The instant this expression names when the clock reads `now`.
    public func resolve(now: Date) -> Date {
        var date: Date
        switch anchor {
        case .now: date = now
        case .instant(let instant): date = instant
        }
        let calendar = Self.calendar
        for step in steps {
            switch step {
            case .add(let amount, let component):
                date = calendar.date(byAdding: component, value: amount, to: date) ?? date
            case .roundDown(let component):
                date = calendar.dateInterval(of: component, for: date)?.start ?? date
            }
        }
        return date
    }

    /// For `now-…` expressions made only of additions: how far before now they reach (the look-back span).
    public var lookBack: TimeInterval? {
        guard anchor == .now, steps.allSatisfy({ if case .add = $0 { true } else { false } }) else { return nil }
        let reference = Date(timeIntervalSince1970: 1_700_000_000)
        return reference.timeIntervalSince(resolve(now: reference))
    }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        calendar.firstWeekday = 2  // Elasticsearch weeks start on Monday.
        return calendar
    }

    private static func component(_ unit: Character) -> Calendar.Component? {
        switch unit {
        case "y": .year
        case "M": .month
        case "w": .weekOfYear
        case "d": .day
        case "h", "H": .hour
        case "m": .minute
        case "s": .second
        default: nil
        }
    }
}
