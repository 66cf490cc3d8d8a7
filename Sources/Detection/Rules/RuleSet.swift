import Core
import Foundation

/// The detection rules in force: loaded from a folder of Elastic detection-rules TOML files, with the problems met,
/// and digests that let a report say exactly which rules produced it.
public struct RuleSet: Sendable {
    /// The rules used, one per `rule_id`, ordered by rule name then id.
    public let rules: [DetectionRule]
    /// Every file looked at, with its digest and what became of it.
    public let files: [RuleFile]
    public let errors: [RuleLoadError]
    public let warnings: [RuleLoadWarning]
    /// SHA-256 over the files used (each file's digest and name, sorted by name): equal digests mean equal rules.
    public let digest: String

    /// One rule file and its fate.
    public struct RuleFile: Sendable, Hashable, Codable {
        public enum Status: String, Sendable, Hashable, Codable {
            /// Its rule is in the set.
            case loaded
            /// Valid, but another file with the same `rule_id` is newer.
            case shadowed
            /// Not loaded: see the errors.
            case invalid
        }

        /// Relative to the rules folder (so digests do not depend on where the folder lives).
        public var path: String
        public var digest: String
        public var ruleID: String?
        public var status: Status
    }

    /// Builds a set from rules already read (duplicates resolved as when loading).
    public init(rules: [DetectionRule]) {
        self.init(candidates: rules, files: [], errors: [])
    }

    private init(candidates: [DetectionRule], files: [RuleFile], errors: [RuleLoadError]) {
        var warnings: [RuleLoadWarning] = []
        var chosen: [String: DetectionRule] = [:]
        for rule in candidates.sorted(by: { $0.sourceFile < $1.sourceFile }) {
            guard let existing = chosen[rule.ruleID] else {
                chosen[rule.ruleID] = rule
                continue
            }
            let (winner, loser) = Self.isNewer(rule, than: existing) ? (rule, existing) : (existing, rule)
            chosen[rule.ruleID] = winner
            let why =
                Self.age(winner) == Self.age(loser)
                ? "as old as this file (\(Self.age(loser))) and first by name"
                : "newer (\(Self.age(winner))) than this file (\(Self.age(loser)))"
            warnings.append(
                RuleLoadWarning(
                    file: loser.sourceFile,
                    reason: "shadowed by \(winner.sourceFile), which has the same rule_id \(rule.ruleID) and is \(why): "
                        + "this file is not used"))
        }
        let used = Set(chosen.values.map(\.sourceFile))
        var allFiles = files
        if allFiles.isEmpty {
            allFiles = candidates.map {
                RuleFile(path: $0.sourceFile, digest: $0.sourceDigest, ruleID: $0.ruleID, status: .loaded)
            }
        }
        for index in allFiles.indices where allFiles[index].status != .invalid {
            allFiles[index].status = used.contains(allFiles[index].path) ? .loaded : .shadowed
        }
        self.rules = chosen.values.sorted { ($0.name, $0.ruleID) < ($1.name, $1.ruleID) }
        self.files = allFiles.sorted { $0.path < $1.path }
        self.errors = errors
        self.warnings = warnings
        let manifest = self.files.filter { $0.status == .loaded }.map { "\($0.digest)  \($0.path)\n" }.joined()
        self.digest = SHA256Digest.hex(of: manifest)
    }

    /// Loads every `*.toml` under `path` (a folder, searched recursively, hidden entries skipped; or one file).
    /// Throws only when `path` cannot be read at all; bad files are reported in `errors` and skipped.
    public static func load(from path: String) throws -> RuleSet {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RuleLoadError(file: path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else {
            return load(files: [(path: path, name: (path as NSString).lastPathComponent)])
        }
        guard let walker = fileManager.enumerator(atPath: path) else {
            throw RuleLoadError(file: path, reason: "cannot list the folder")
        }
        var files: [(path: String, name: String)] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                if walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { walker.skipDescendants() }
                continue
            }
            if relative.hasSuffix(".toml"), walker.fileAttributes?[.type] as? FileAttributeType != .typeDirectory {
                files.append((path: (path as NSString).appendingPathComponent(relative), name: relative))
            }
        }
        return load(files: files.sorted { $0.name < $1.name })
    }

    /// Loads the given files; `name` is how each is named in messages and digests.
    public static func load(files: [(path: String, name: String)]) -> RuleSet {
        load(contents: files.map { (name: $0.name, data: FileManager.default.contents(atPath: $0.path)) })
    }

    /// Loads rule files given by content (nil: the file could not be read); `name` is how each is named in messages
    /// and digests, so equal names and bytes give the digest a folder of those files gives.
    public static func load(contents: [(name: String, data: Data?)]) -> RuleSet {
        var candidates: [DetectionRule] = []
        var records: [RuleFile] = []
        var errors: [RuleLoadError] = []
        for file in contents {
            guard let data = file.data else {
                errors.append(RuleLoadError(file: file.name, reason: "cannot read the file"))
                records.append(RuleFile(path: file.name, digest: "", ruleID: nil, status: .invalid))
                continue
            }
            let digest = SHA256Digest.hex(of: data)
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(RuleLoadError(file: file.name, reason: "not UTF-8 text"))
                records.append(RuleFile(path: file.name, digest: digest, ruleID: nil, status: .invalid))
                continue
            }
            do {
                let rule = try RuleFileParser(displayName: file.name, text: text, digest: digest).parse()
                candidates.append(rule)
                records.append(RuleFile(path: file.name, digest: digest, ruleID: rule.ruleID, status: .loaded))
            } catch {
                errors.append(error)
                records.append(RuleFile(path: file.name, digest: digest, ruleID: nil, status: .invalid))
            }
        }
        return RuleSet(candidates: candidates, files: records, errors: errors)
    }

    public func rule(id: String) -> DetectionRule? {
        rules.first { $0.ruleID == id }
    }

    /// Per-file digests of the files in use, by relative path (what reports publish).
    public var fileDigests: [String: String] {
        Dictionary(uniqueKeysWithValues: files.filter { $0.status == .loaded }.map { ($0.path, $0.digest) })
    }

    /// The newer of two rules with one id: later `updated_date` (a file without one is oldest), then higher
    /// `version`.
    private static func isNewer(_ candidate: DetectionRule, than existing: DetectionRule) -> Bool {
        let candidateDay = candidate.updatedDate?.daysSinceEpoch ?? Int.min
        let existingDay = existing.updatedDate?.daysSinceEpoch ?? Int.min
        if candidateDay != existingDay { return candidateDay > existingDay }
        return (candidate.version ?? Int.min) > (existing.version ?? Int.min)
    }

    private static func age(_ rule: DetectionRule) -> String {
        var parts: [String] = []
        parts.append(rule.updatedDate.map { "updated \($0)" } ?? "no updated_date")
        if let version = rule.version { parts.append("version \(version)") }
        return parts.joined(separator: ", ")
    }
}
