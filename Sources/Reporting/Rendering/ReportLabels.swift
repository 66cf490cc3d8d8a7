import Core
import Drift
import Inventory
import Foundation

// Words shown to people for the model's enums, shared by the HTML and Markdown renderers so both read alike.

extension Severity {
    var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

extension ControlStatus {
    var label: String {
        switch self {
        case .pass: "Pass"
        case .warn: "Warn"
        case .fail: "Fail"
        }
    }
}

extension ChangeKind {
    var label: String {
        switch self {
        case .enabled: "Enabled"
        case .reenabled: "Re-enabled"
        case .removed: "Removed"
        case .failedAttempt: "Failed attempt"
        case .indeterminate: "Unreadable"
        }
    }
}

extension FindingTrend {
    var label: String {
        switch self {
        case .new: "New"
        case .persisting: "Persisting"
        }
    }
}

extension Evidence {
    /// `event abc123 at 2026-10-03T08:15:00.000Z (note)`: for one line of text (escape before rendering).
    var plainText: String {
        var text = "\(kind.rawValue) \(reference)"
        if let time { text += " at \(ReportFormatting.time(time))" }
        if let note, !note.isEmpty { text += " (\(note))" }
        return text
    }
}

extension ReportAccount {
    /// The register fields that matter for one line: category and tool or legal basis.
    var exceptionSummary: String? {
        guard let category else { return entryID == nil ? nil : "uncategorised" }
        var text = category.rawValue
        if let tool, !tool.isEmpty { text += ": \(tool)" }
        if let legalBasis, !legalBasis.isEmpty { text += ": \(legalBasis)" }
        return text
    }
}

extension ReportFinding {
    /// What the finding is about, for a table cell: the account, else the register entry, else the evidence's day.
    var subject: String? {
        if let account { return account }
        if let entryID { return "register entry \(entryID)" }
        if kind == .coverageGap, let day = evidence.first(where: { $0.kind == .day })?.reference { return "from \(day)" }
        return nil
    }
}

extension BlindWindow {
    /// `2026-10-03 08:15 UTC`, prefixed "at the latest" when only a snapshot dates it.
    var startText: String {
        guard let start else { return "before the earliest ingested data" }
        return (startIsUpperBound ? "at the latest " : "") + ReportFormatting.shortTime(start)
    }

    var endText: String { end.map(ReportFormatting.shortTime) ?? "still open at as-of" }

    var durationText: String { durationSeconds.map { ReportFormatting.duration(seconds: $0) } ?? "unknown" }
}

extension TenantID {
    var reportText: String { isUnknown ? "(no tenant id)" : rawValue }
}
