import Core
import Foundation

/// Checks a report folder against its `SHA256SUMS`, as `sha256sum -c --strict` would, and more strictly: the folder
/// must hold exactly the files the manifest lists (plus the manifest), each with its listed SHA-256.
public enum ReportManifest {
    /// The outcome of a check.
    public enum Check: Sendable, Hashable {
        /// Every file matches; `digest` is the SHA-256 of `SHA256SUMS` itself (the digest to record).
        case verified(digest: String)
        /// What does not match, one problem per item.
        case failed([String])
    }

    /// The SHA-256 of `SHA256SUMS` in `folder`: the one value that pins every file of the report.
    public static func digest(ofFolder folder: URL) throws -> String {
        try SHA256Digest.hex(ofFile: folder.appendingPathComponent(ManifestRenderer.fileName).path)
    }

    /// Checks `folder`; `expected`, when given, is the manifest digest the folder must have.
    public static func check(_ folder: URL, expected: String? = nil) -> Check {
        let manifestURL = folder.appendingPathComponent(ManifestRenderer.fileName)
        guard let data = try? Data(contentsOf: manifestURL), let text = String(data: data, encoding: .utf8) else {
            return .failed(["\(ManifestRenderer.fileName) is missing or unreadable"])
        }
        let digest = SHA256Digest.hex(of: data)
        var problems: [String] = []
        if let expected, expected != digest {
            problems.append("\(ManifestRenderer.fileName) is not the one recorded (SHA-256 \(digest), recorded \(expected))")
        }
        var listed = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 64, parts[1].hasPrefix(" "), !parts[1].dropFirst().isEmpty else {
                problems.append("\(ManifestRenderer.fileName) has a malformed line")
                continue
            }
            let name = String(parts[1].dropFirst())
            guard !name.contains("/"), name != "..", name != "." else {
                problems.append("\(ManifestRenderer.fileName) lists a path outside the folder")
                continue
            }
            listed.insert(name)
            let path = folder.appendingPathComponent(name).path
            guard let actual = try? SHA256Digest.hex(ofFile: path) else {
                problems.append("\(name) is missing")
                continue
            }
            if actual != String(parts[0]) { problems.append("\(name) does not match its SHA-256") }
        }
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        for extra in present.subtracting(listed).subtracting([ManifestRenderer.fileName]).sorted() {
            problems.append("\(extra) is not in \(ManifestRenderer.fileName)")
        }
        return problems.isEmpty ? .verified(digest: digest) : .failed(problems)
    }
}
