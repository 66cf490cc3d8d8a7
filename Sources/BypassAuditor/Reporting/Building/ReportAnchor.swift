import Foundation

/// Stable fragment ids (`report.html#finding-…`) derived only from an item's identity, so a link into last month's
/// report and this month's points at the same finding, control or account.
public enum ReportAnchor {
    public static func finding(_ id: String) -> String { "finding-" + slug(id) }
    public static func account(_ key: String) -> String { "account-" + slug(key) }
    public static func investigation(_ key: String) -> String { "investigation-" + slug(key) }
    public static func control(_ id: ControlID) -> String { "control-" + slug(id.rawValue) }
    public static func alert(_ id: Int64) -> String { "alert-\(id)" }
    public static func change(_ eventID: String) -> String { "change-" + slug(eventID) }
    public static func entry(_ id: String) -> String { "entry-" + slug(id) }

    /// Lowercase ASCII letters and digits, other runs turned into `-`, at most 80 characters. When that loses
    /// information (anything but case and letters/digits/`-` changed, or the text was cut), the first 8 hex digits
    /// of the text's SHA-256 are appended, so two different identities never share an anchor.
    public static func slug(_ text: String) -> String {
        let lowered = text.lowercased()
        var slug = ""
        var lastWasDash = true
        for scalar in lowered.unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                slug.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                slug += "-"
                lastWasDash = true
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        var lossy = slug != lowered
        if slug.count > 80 {
            slug = String(slug.prefix(80))
            while slug.hasSuffix("-") { slug.removeLast() }
            lossy = true
        }
        guard lossy || slug.isEmpty else { return slug }
        let digest = String(SHA256Digest.hex(of: text).prefix(8))
        return slug.isEmpty ? digest : slug + "-" + digest
    }
}
