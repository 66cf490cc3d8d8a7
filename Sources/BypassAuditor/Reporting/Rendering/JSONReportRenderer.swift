import Foundation

/// `report.json`: the report model encoded with the shared JSON convention (snake_case keys, sorted, UTC
/// millisecond timestamps). The schema is documented in `Reports/README.md`; `schema_version` changes when a field
/// changes meaning or disappears.
public enum JSONReportRenderer {
    public static let fileName = "report.json"

    public static func render(_ report: Report) throws -> String {
        try JSONCoding.string(report) + "\n"
    }
}
