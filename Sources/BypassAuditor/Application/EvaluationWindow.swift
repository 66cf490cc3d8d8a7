import Core
import Drift
import Foundation

/// The two times a drift run or report judges: the moment whose inventory is compared with the register (`asOf`)
/// and the period whose activity is judged. Resolved here once, for `drift` and `report` alike.
public struct EvaluationWindow: Sendable, Hashable {
    public let asOf: Date
    public let period: ReportingPeriod

    public init(asOf: Date, period: ReportingPeriod) throws {
        guard asOf >= period.start else { throw EvaluationWindowError.asOfBeforePeriod(asOf: asOf, period: period) }
        self.asOf = asOf
        self.period = period
    }

    /// `drift`: `asOf` defaults to `now`, or with a period to the earlier of its end and `now`; the period defaults
    /// to the first day of the as-of month through the as-of day.
    public static func drift(asOf: Date?, period: ReportingPeriod?, now: Date) throws -> EvaluationWindow {
        let moment = asOf ?? period.map { min(now, $0.endInstant) } ?? now
        return try EvaluationWindow(asOf: moment, period: period ?? DriftInputs.defaultPeriod(asOf: moment))
    }

    /// `report`: the period defaults to the last calendar month that ended before `clock`; the inventory is judged
    /// at the period's end, or at `clock` when the period has not ended yet.
    public static func report(period: ReportingPeriod?, clock: Date) throws -> EvaluationWindow {
        let period = period ?? ReportingPeriod.lastCompleteMonth(before: clock)
        return try EvaluationWindow(asOf: min(period.endInstant, clock), period: period)
    }
}

public enum EvaluationWindowError: Error, Sendable, Hashable, CustomStringConvertible {
    case asOfBeforePeriod(asOf: Date, period: ReportingPeriod)

    public var description: String {
        switch self {
        case .asOfBeforePeriod(let asOf, let period):
            "--as-of \(UTCTimestamp.format(asOf)) is before the period \(period.label) starts (\(period.firstDay)): "
                + "pass a later --as-of or an earlier --period"
        }
    }
}
