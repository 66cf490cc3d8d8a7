import Foundation

/// Where one report run goes: `<out>/<period>/` for the first report of a period, `<out>/<period>.r2/`,
/// `<out>/<period>.r3/`… for reruns, so a folder once written (and its `SHA256SUMS`) never changes.
///
/// With `force`, the run still gets the next revision number and its own folder, and the period's latest revision
/// is withdrawn: once the new folder is in place, the old one is moved (whole, unchanged) to
/// `<out>/<period>.replaced/r<N>/`. Folders an interrupted run left unrecorded go to `<out>/<period>.not-recorded/`.
public struct ReportDestination: Sendable, Hashable {
    /// A revision folder a `--force` run withdraws.
    public struct Replacement: Sendable, Hashable {
        public var revision: Int
        /// Where it is now (a top-level revision folder).
        public var folder: URL
        /// Where it will be kept: `<out>/<period>.replaced/r<N>`.
        public var aside: URL

        public init(revision: Int, folder: URL, aside: URL) {
            self.revision = revision
            self.folder = folder
            self.aside = aside
        }
    }

    public var folder: URL
    public var revision: Int
    /// The revision this run withdraws (`--force` with a revision to replace), nil otherwise.
    public var replaces: Replacement?

    /// True when `force` chose to withdraw an existing revision.
    public var replacesExisting: Bool { replaces != nil }

    public init(folder: URL, revision: Int, replaces: Replacement? = nil) {
        self.folder = folder
        self.revision = revision
        self.replaces = replaces
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

    /// Why a folder was moved out of the period's revisions.
    public enum AsideKind: String, Sendable, CaseIterable {
        /// Withdrawn by `report --force`.
        case replaced
        /// Written by a run that was interrupted before it was recorded, and whose files did not match their manifest.
        case notRecorded = "not-recorded"
    }

    /// `<out>/<label>.replaced` or `<out>/<label>.not-recorded`: the folder that keeps `label`'s folders of `kind`.
    public static func asideContainer(outputDirectory: URL, label: String, kind: AsideKind) -> URL {
        outputDirectory.appendingPathComponent("\(label).\(kind.rawValue)")
    }

    /// A free name for revision `revision` in `label`'s `kind` folder: `r1`, else `r1-2`, `r1-3`…
    public static func asideFolder(outputDirectory: URL, label: String, kind: AsideKind, revision: Int) -> URL {
        let container = asideContainer(outputDirectory: outputDirectory, label: label, kind: kind)
        var candidate = container.appendingPathComponent("r\(revision)")
        var copy = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = container.appendingPathComponent("r\(revision)-\(copy)")
            copy += 1
        }
        return candidate
    }

    /// The revisions kept aside for `label` (`r3`, `r3-2` → 3).
    static func asideRevisions(outputDirectory: URL, label: String) -> [Int] {
        AsideKind.allCases.flatMap { kind -> [Int] in
            let container = asideContainer(outputDirectory: outputDirectory, label: label, kind: kind)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: container.path)) ?? []
            return names.compactMap { name in
                guard name.hasPrefix("r") else { return nil }
                return Int(name.dropFirst().prefix { $0.isNumber })
            }
        }
    }

    /// Picks the folder for the next report of `label` under `outputDirectory`: the revision after every one on
    /// disk (including those kept aside) and after `recordedRevision` (the highest the database holds), so no
    /// revision number is ever used twice. With `force`, the latest revision folder is the one withdrawn.
    public static func plan(outputDirectory: URL, label: String, force: Bool, recordedRevision: Int = 0) throws -> ReportDestination {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)) ?? []
        let latest = existing.compactMap { revision(ofFolder: $0, label: label) }.max()
        let highest = ([latest ?? 0, recordedRevision] + asideRevisions(outputDirectory: outputDirectory, label: label)).max() ?? 0
        let next = highest + 1
        let folder = outputDirectory.appendingPathComponent(folderName(label: label, revision: next))
        guard force, let latest else { return ReportDestination(folder: folder, revision: next) }
        let replaced = Replacement(
            revision: latest, folder: outputDirectory.appendingPathComponent(folderName(label: label, revision: latest)),
            aside: asideFolder(outputDirectory: outputDirectory, label: label, kind: .replaced, revision: latest))
        return ReportDestination(folder: folder, revision: next, replaces: replaced)
    }
}
