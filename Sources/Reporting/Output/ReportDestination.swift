import Foundation

/// Where one report run goes: `<out>/<period>/` for the first report of a period, `<out>/<period>.r2/`,
/// `<out>/<period>.r3/`… for reruns, so a folder once written (and its `SHA256SUMS`) never changes.
/// With `force`, the latest revision's folder is replaced instead (keeping its revision number).
public struct ReportDestination: Sendable, Hashable {
    public var folder: URL
    public var revision: Int
    /// True when `force` chose to replace an existing folder.
    public var replacesExisting: Bool

    public init(folder: URL, revision: Int, replacesExisting: Bool) {
        self.folder = folder
        self.revision = revision
        self.replacesExisting = replacesExisting
    }

    /// The folder name of `revision` for `label`: `2026-10`, `2026-10.r2`, …
    public static func folderName(label: String, revision: Int) -> String {
        revision <= 1 ? label : "\(label).r\(revision)"
    }

    /// The revision a folder name holds for `label`, nil when it is not one of that period's folders.
    public static func revision(ofFolder name: String, label: String) -> Int? {
        if name == label { return 1 }
        let prefix = label + ".r"
        guard name.hasPrefix(prefix), let number = Int(name.dropFirst(prefix.count)), number >= 2,
            String(number) == name.dropFirst(prefix.count)
        else { return nil }
        return number
    }

    /// Picks the folder for the next report of `label` under `outputDirectory`.
    public static func plan(outputDirectory: URL, label: String, force: Bool) throws -> ReportDestination {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)) ?? []
        let latest = existing.compactMap { revision(ofFolder: $0, label: label) }.max()
        guard let latest else {
            return ReportDestination(folder: outputDirectory.appendingPathComponent(folderName(label: label, revision: 1)), revision: 1, replacesExisting: false)
        }
        if force {
            return ReportDestination(
                folder: outputDirectory.appendingPathComponent(folderName(label: label, revision: latest)), revision: latest, replacesExisting: true)
        }
        return ReportDestination(
            folder: outputDirectory.appendingPathComponent(folderName(label: label, revision: latest + 1)), revision: latest + 1,
            replacesExisting: false)
    }
}
