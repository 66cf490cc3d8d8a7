import Foundation

/// The HTML report's colours, in one place so a test can prove every text/background pair reaches the WCAG AA
/// contrast ratio of 4.5:1 in both themes. Colour marks only non-passing items; a text label always says the same.
enum HTMLPalette {
    struct Theme {
        var background: String
        var text: String
        var muted: String
        var link: String
        var panel: String
        var line: String
        /// Banner backgrounds behind body text for "action required" and "attention needed".
        var alertPanel: String
        var warnPanel: String
    }

    static let light = Theme(
        background: "#ffffff", text: "#1f2328", muted: "#59636e", link: "#0550ae", panel: "#f6f8fa", line: "#d0d7de",
        alertPanel: "#fdecea", warnPanel: "#fff4e0")
    static let dark = Theme(
        background: "#0d1117", text: "#e6edf3", muted: "#9198a1", link: "#79c0ff", panel: "#161b22", line: "#30363d",
        alertPanel: "#3d1518", warnPanel: "#3a2a0c")

    /// A filled badge: white text on a strong colour, readable on either theme.
    struct Badge {
        var className: String
        var background: String
        var text: String
    }

    static let filledBadges = [
        Badge(className: "sev-critical", background: "#7a0916", text: "#ffffff"),
        Badge(className: "sev-high", background: "#b3261e", text: "#ffffff"),
        Badge(className: "sev-medium", background: "#8a4b08", text: "#ffffff"),
        Badge(className: "sev-low", background: "#1b5e96", text: "#ffffff"),
        Badge(className: "st-fail", background: "#b3261e", text: "#ffffff"),
        Badge(className: "st-warn", background: "#8a4b08", text: "#ffffff"),
    ]

    /// Outlined badges (passing and informational states) use the theme's text colour: no colour signal.
    static let outlinedBadgeClasses = ["sev-info", "st-pass", "st-info", "st-neutral"]

    /// Every (foreground, background) pair the stylesheet puts text on, for the contrast test.
    static var textPairs: [(name: String, foreground: String, background: String)] {
        var pairs: [(String, String, String)] = []
        for (themeName, theme) in [("light", light), ("dark", dark)] {
            for (surfaceName, surface) in [("page", theme.background), ("panel", theme.panel), ("alert", theme.alertPanel), ("warn", theme.warnPanel)] {
                pairs.append(("\(themeName) text on \(surfaceName)", theme.text, surface))
                pairs.append(("\(themeName) muted on \(surfaceName)", theme.muted, surface))
                pairs.append(("\(themeName) link on \(surfaceName)", theme.link, surface))
            }
        }
        for badge in filledBadges { pairs.append(("badge \(badge.className)", badge.text, badge.background)) }
        return pairs
    }

    /// WCAG 2 contrast ratio of two `#rrggbb` colours.
    static func contrast(_ first: String, _ second: String) -> Double {
        let a = luminance(first)
        let b = luminance(second)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    static func luminance(_ hex: String) -> Double {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return 0 }
        func channel(_ shift: UInt32) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    static func variables(_ theme: Theme) -> String {
        "--bg:\(theme.background);--fg:\(theme.text);--muted:\(theme.muted);--link:\(theme.link);--panel:\(theme.panel);--line:\(theme.line);--alert:\(theme.alertPanel);--warn:\(theme.warnPanel)"
    }

    static var badgeRules: String {
        filledBadges.map { ".\($0.className){background:\($0.background);color:\($0.text);border-color:\($0.background)}" }.joined()
            + outlinedBadgeClasses.map { ".\($0)" }.joined(separator: ",") + "{background:transparent;color:var(--fg);border-color:var(--muted)}"
    }
}
