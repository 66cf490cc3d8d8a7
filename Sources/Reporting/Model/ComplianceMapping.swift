import Drift
import Foundation

/// How a framework requirement fares, as far as this tool's data can tell.
public enum ComplianceStatus: String, Sendable, Hashable, Codable {
    case pass
    case warn
    case fail
    /// A technique or reference, not a requirement: the report says what it observed.
    case informational

    public var label: String {
        switch self {
        case .pass: "Pass"
        case .warn: "Warn"
        case .fail: "Fail"
        case .informational: "Info"
        }
    }
}

/// One framework control or technique the report speaks to.
public struct ComplianceMapping: Sendable, Hashable, Codable {
    /// Stable id, also the anchor (`cis-m365-6-1-3`); findings reference it.
    public var id: String
    public var framework: String
    public var identifier: String
    public var title: String
    /// Why this report is evidence for it.
    public var relevance: String
    public var status: ComplianceStatus
    /// What decided the status, in a sentence.
    public var basis: String
    public var findingIDs: [String]
    public var controls: [ControlID]
    public var url: String

    public init(
        id: String, framework: String, identifier: String, title: String, relevance: String, status: ComplianceStatus,
        basis: String, findingIDs: [String], controls: [ControlID], url: String
    ) {
        self.id = id
        self.framework = framework
        self.identifier = identifier
        self.title = title
        self.relevance = relevance
        self.status = status
        self.basis = basis
        self.findingIDs = findingIDs
        self.controls = controls
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case id, framework, identifier, title, relevance, status, basis
        case findingIDs
        case controls, url
    }
}
