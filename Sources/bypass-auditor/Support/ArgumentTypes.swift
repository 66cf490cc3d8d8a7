import ArgumentParser
import BypassAuditor
import Foundation

// Option values parsed once, by argument-parser, so a bad value is reported naming the command and the option.

/// An instant on the command line: `YYYY-MM-DDTHH:MM:SSZ` (any ISO 8601 time; UTC unless it has a zone) or a
/// date `YYYY-MM-DD`, meaning the end of that day (UTC).
struct Moment: ExpressibleByArgument, Sendable {
    let date: Date
    /// The day, when the argument was a bare date.
    let day: UTCDay?

    init?(argument: String) {
        guard let date = UTCTimestamp.parseInstant(argument) else { return nil }
        self.date = date
        day = UTCDay(argument.trimmingCharacters(in: .whitespaces))
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A UTC day `YYYY-MM-DD`.
extension UTCDay: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument.trimmingCharacters(in: .whitespaces)) }
}

/// A calendar month `YYYY-MM`.
struct Month: ExpressibleByArgument, Sendable {
    let period: ReportingPeriod

    init?(argument: String) {
        guard let period = try? ReportingPeriod(month: argument.trimmingCharacters(in: .whitespaces)) else { return nil }
        self.period = period
    }
}

/// `--format md,html,json,csv`: the report formats to write.
struct ReportFormatList: ExpressibleByArgument, Sendable {
    let formats: Set<ReportFormat>

    init?(argument: String) {
        guard let formats = try? ReportFormat.parseList(argument) else { return nil }
        self.formats = formats
    }

    static var allValueStrings: [String] { ReportFormat.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
    var defaultValueDescription: String { ReportFormat.allCases.filter(formats.contains).map(\.rawValue).joined(separator: ",") }
    static let all = ReportFormatList(argument: "md,html,json,csv")!
}

extension ExceptionCategory: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

/// `--fail-on`: a severity, or `none` to never exit 3.
struct FailThreshold: ExpressibleByArgument {
    var severity: Severity?

    init(severity: Severity?) { self.severity = severity }

    init?(argument: String) {
        let text = argument.lowercased()
        if text == "none" {
            severity = nil
        } else if let severity = Severity(rawValue: text) {
            self.severity = severity
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { severity?.rawValue ?? "none" }
    static var allValueStrings: [String] { Severity.descending.map(\.rawValue) + ["none"] }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
