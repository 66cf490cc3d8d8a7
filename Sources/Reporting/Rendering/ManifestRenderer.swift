import Foundation

/// `SHA256SUMS`: one `<sha256>  <file>` line per file the report wrote, sorted by name, in the format
/// `sha256sum -c SHA256SUMS` checks.
public enum ManifestRenderer {
    public static let fileName = ReportProvenance.manifestFileName

    public static func render(digests: [String: String]) -> String {
        digests.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)\n" }.joined()
    }
}
