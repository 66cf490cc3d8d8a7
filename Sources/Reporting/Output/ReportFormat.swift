import Foundation

/// The formats `report --format` accepts. `remediation.ps1`, `README.txt` and `SHA256SUMS` are always written.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case markdown = "md"
    case html
    case json
    /// `inventory.csv`, `findings.csv`, `changes.csv` and `alerts.csv`.
    case csv

    /// Parses `md,html,json,csv` (any order, case-insensitive; `markdown` accepted for `md`).
    public static func parseList(_ text: String) throws -> Set<ReportFormat> {
        var formats = Set<ReportFormat>()
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = ReportFormat(rawValue: name == "markdown" ? "md" : name) else {
                throw ReportWriteError.unknownFormat(String(part))
            }
            formats.insert(format)
        }
        guard !formats.isEmpty else { throw ReportWriteError.unknownFormat(text) }
        return formats
    }

    /// The files this format writes.
    public var fileNames: [String] {
        switch self {
        case .markdown: [MarkdownReportRenderer.fileName]
        case .html: [HTMLReportRenderer.fileName]
        case .json: [JSONReportRenderer.fileName]
        case .csv: CSVReportRenderer.fileNames
        }
    }
}

