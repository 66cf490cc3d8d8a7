import Foundation

/// The SHA-256 of one file the report relied on.
public struct FileDigest: Sendable, Hashable, Codable {
    public var path: String
    public var sha256: String

    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}

/// What an auditor needs to trust the report: which tool, which rules and register, which history.
public struct ReportProvenance: Sendable, Hashable, Codable {
    /// The manifest written beside the report files.
    public static let manifestFileName = "SHA256SUMS"

    public var reportID: String
    public var revision: Int
    public var toolVersion: String
    public var generatedAt: Date
    /// Every time in the report is UTC.
    public var timeZone: String
    /// Rule files, sorted by path.
    public var ruleFiles: [FileDigest]
    public var ruleSetDigest: String
    /// Rule-set digests of the detection runs behind the period's alerts.
    public var detectionRuleSetDigests: [String]
    public var allowlistPath: String
    public var allowlistSHA256: String
    /// The head of the history hash chain at generation: `verify --expect-head` checks a later database against it.
    public var chainHead: String
    /// The file, beside the report, listing the SHA-256 of every file this run wrote.
    public var manifest: String

    public init(
        reportID: String, revision: Int, toolVersion: String, generatedAt: Date, ruleFiles: [FileDigest],
        ruleSetDigest: String, detectionRuleSetDigests: [String] = [], allowlistPath: String, allowlistSHA256: String,
        chainHead: String
    ) {
        self.reportID = reportID
        self.revision = revision
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.timeZone = "UTC"
        self.ruleFiles = ruleFiles
        self.ruleSetDigest = ruleSetDigest
        self.detectionRuleSetDigests = detectionRuleSetDigests
        self.allowlistPath = allowlistPath
        self.allowlistSHA256 = allowlistSHA256
        self.chainHead = chainHead
        self.manifest = ReportProvenance.manifestFileName
    }

    enum CodingKeys: String, CodingKey {
        case reportID
        case revision, toolVersion, generatedAt, timeZone, ruleFiles, ruleSetDigest, detectionRuleSetDigests, allowlistPath
        case allowlistSHA256
        case chainHead, manifest
    }
}
