import Core
import Foundation

/// The inline SVG trend chart: bypassed accounts per period (left) and findings per period stacked by severity
/// (right). Every bar carries its number as text, the legend names each colour, and the same numbers follow in a
/// table, so nothing depends on colour. Colours come from the page stylesheet (classes), so dark mode and print
/// apply to the chart too.
enum TrendChartSVG {
    static let width = 760.0
    static let height = 262.0
    private static let panelWidth = 360.0
    private static let plotTop = 34.0
    private static let plotHeight = 150.0
    private static let severities: [Severity] = [.info, .low, .medium, .high, .critical]

    static func render(_ points: [TrendPoint]) -> String {
        let accounts = points.map(\.bypassedAccounts)
        let totals = points.map(\.findings.total)
        let description = points.map { "\($0.periodLabel): \($0.bypassedAccounts) bypassed accounts, \($0.findings.total) findings" }
            .joined(separator: "; ")
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" aria-label=\"\(HTMLEscaping.escape("Trend: " + description))\">"
        svg += "<title>\(HTMLEscaping.escape("Trend over \(points.count) periods"))</title>"
        svg += panel(x: 0, title: "Bypassed accounts", points: points, maximum: accounts.max() ?? 0) { point, x, barWidth, scale in
            let value = Double(point.bypassedAccounts)
            let barHeight = value * scale
            return rect(x: x, y: plotTop + plotHeight - barHeight, width: barWidth, height: barHeight, className: "bar-accounts")
                + label(x: x + barWidth / 2, y: plotTop + plotHeight - barHeight - 4, text: "\(point.bypassedAccounts)")
        }
        svg += panel(x: panelWidth + 40, title: "Findings by severity", points: points, maximum: totals.max() ?? 0) { point, x, barWidth, scale in
            var y = plotTop + plotHeight
            var parts = ""
            for severity in severities {
                let count = Double(point.findings[severity])
                guard count > 0 else { continue }
                let segment = count * scale
                y -= segment
                parts += rect(x: x, y: y, width: barWidth, height: segment, className: "seg-\(severity.rawValue)")
            }
            return parts + label(x: x + barWidth / 2, y: y - 4, text: "\(point.findings.total)")
        }
        // Legend: each colour named in text, most severe first.
        var legendX = panelWidth + 40
        for severity in severities.reversed() {
            svg += rect(x: legendX, y: height - 16, width: 10, height: 10, className: "seg-\(severity.rawValue)")
            svg += "<text x=\"\(format(legendX + 14))\" y=\"\(format(height - 7))\" font-size=\"11\" fill=\"currentColor\">\(severity.label)</text>"
            legendX += 70
        }
        return svg + "</svg>"
    }

    private static func panel(
        x originX: Double, title: String, points: [TrendPoint], maximum: Int,
        bar: (TrendPoint, Double, Double, Double) -> String
    ) -> String {
        let slot = (panelWidth - 20) / Double(max(points.count, 1))
        let barWidth = min(24, slot * 0.6)
        let scale = maximum > 0 ? plotHeight / Double(maximum) : 0
        var svg = "<text x=\"\(format(originX))\" y=\"14\" font-size=\"13\" font-weight=\"600\" fill=\"currentColor\">\(HTMLEscaping.escape(title))</text>"
        svg += "<line class=\"axis\" x1=\"\(format(originX))\" y1=\"\(format(plotTop + plotHeight))\" x2=\"\(format(originX + panelWidth))\" y2=\"\(format(plotTop + plotHeight))\"/>"
        for (index, point) in points.enumerated() {
            let x = originX + 10 + Double(index) * slot + (slot - barWidth) / 2
            svg += bar(point, x, barWidth, scale)
            let (upper, lower) = axisLabel(point.periodLabel, showYear: index == 0)
            let weight = point.isCurrent ? " font-weight=\"700\"" : ""
            svg += "<text x=\"\(format(x + barWidth / 2))\" y=\"\(format(plotTop + plotHeight + 13))\" font-size=\"10\" text-anchor=\"middle\" fill=\"currentColor\"\(weight)>\(HTMLEscaping.escape(upper))</text>"
            if let lower {
                svg += "<text x=\"\(format(x + barWidth / 2))\" y=\"\(format(plotTop + plotHeight + 25))\" font-size=\"10\" text-anchor=\"middle\" fill=\"currentColor\"\(weight)>\(HTMLEscaping.escape(lower))</text>"
            }
        }
        return svg
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Short enough for twelve periods side by side: `Oct` over the year (shown for the first period and each
    /// January) for a month, `10-01` for a range starting that day.
    static func axisLabel(_ label: String, showYear: Bool) -> (upper: String, lower: String?) {
        let parts = label.prefix(10).split(separator: "-")
        guard parts.count >= 2, let month = Int(parts[1]), (1...12).contains(month) else { return (String(label.prefix(7)), nil) }
        let year = String(parts[0])
        let upper = parts.count >= 3 && label.count > 7 ? "\(parts[1])-\(parts[2])" : monthNames[month - 1]
        return (upper, showYear || month == 1 ? year : nil)
    }

    private static func rect(x: Double, y: Double, width: Double, height: Double, className: String) -> String {
        "<rect class=\"\(className)\" x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(width))\" height=\"\(format(height))\"/>"
    }

    private static func label(x: Double, y: Double, text: String) -> String {
        "<text x=\"\(format(x))\" y=\"\(format(y))\" font-size=\"10\" text-anchor=\"middle\" fill=\"currentColor\">\(HTMLEscaping.escape(text))</text>"
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
