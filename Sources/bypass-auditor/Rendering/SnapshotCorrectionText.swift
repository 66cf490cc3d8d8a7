import BypassAuditor
import Foundation

/// Snapshot corrections for a person: one line each, every attacker- or user-written field made inert.
enum SnapshotCorrectionText {
    static func describe(_ correction: SnapshotCorrection) -> String {
        let snapshot = "snapshot \(correction.snapshotID) (\(TerminalText.cell(correction.fileName)), "
            + "\(correction.rows) row\(correction.rows == 1 ? "" : "s"))"
        let what: String
        switch correction.action {
        case .remove:
            what = "removed \(snapshot), taken \(UTCTimestamp.format(correction.takenAtBefore))"
        case .redate:
            what = "re-dated \(snapshot) from \(UTCTimestamp.format(correction.takenAtBefore)) to "
                + (correction.takenAtAfter.map(UTCTimestamp.format) ?? "?")
        }
        return "\(UTCTimestamp.format(correction.at)) correction #\(correction.id): \(what) by "
            + "\(TerminalText.cell(correction.by)) — \(TerminalText.cell(correction.reason))"
    }

    /// The corrections below a snapshot listing (empty when there are none).
    static func list(_ corrections: [SnapshotCorrection]) -> String {
        guard !corrections.isEmpty else { return "" }
        return "\n\nCorrections:\n" + corrections.map { "  " + describe($0) }.joined(separator: "\n")
    }
}
