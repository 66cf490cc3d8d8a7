import Foundation

/// The one table the benchmark prints: each measured command (median of its runs) and each target, met or missed by
/// how much.
struct ResultTable {
    private var rows: [[String]] = []
    private static let header = ["what", "median wall", "CPU", "peak RSS", "runs", "target", "result"]

    mutating func add(_ name: String, _ measurement: Measurement, target: String = "", result: String = "") {
        rows.append([
            name, String(format: "%.3f s", measurement.seconds), String(format: "%.3f s", measurement.cpuSeconds),
            String(format: "%.1f MiB", measurement.maxPeakRSSMiB), "\(measurement.runs.count)", target, result,
        ])
    }

    mutating func add(_ name: String, value: String, target: String = "", result: String = "") {
        rows.append([name, value, "", "", "", target, result])
    }

    /// "met" or "missed by N%" for a figure that must stay below (or at) `limit`.
    static func verdict(_ value: Double, atMost limit: Double, strictly: Bool = true) -> String {
        let met = strictly ? value < limit : value <= limit
        if met { return "met" }
        return String(format: "MISSED by %.0f%% (%.3g over)", (value / limit - 1) * 100, value - limit)
    }

    func printed() -> String {
        let all = [Self.header] + rows
        let widths = (0..<Self.header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        func format(_ row: [String]) -> String {
            "| " + zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: " | ") + " |"
        }
        return ([format(Self.header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
            + rows.map(format)).joined(separator: "\n")
    }
}
