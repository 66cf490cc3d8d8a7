import Foundation

/// One line of `remediation.ps1`: removes the bypass of one account that has no valid written exception.
public struct RemediationCommand: Sendable, Hashable, Codable {
    public var accountKey: String
    /// The inventory row's anchor.
    public var accountAnchor: String
    public var exchangeName: String
    public var guid: String?
    /// Always `unapproved` or `expired`: approved bypasses are never removed by the plan.
    public var status: AccountApprovalStatus
    public var entryID: String?
    /// True when the name holds line breaks or invisible characters, so the line names the account by GUID.
    public var identifiedByGUID: Bool
    /// True when the name is unsafe to put in a script and no GUID is known: the line is a comment for a person.
    public var needsManualAction: Bool
    /// The exact PowerShell line written to the script (the name single-quoted, every quote character doubled).
    public var line: String

    public init(
        accountKey: String, accountAnchor: String, exchangeName: String, guid: String?, status: AccountApprovalStatus,
        entryID: String?, identifiedByGUID: Bool, needsManualAction: Bool, line: String
    ) {
        self.accountKey = accountKey
        self.accountAnchor = accountAnchor
        self.exchangeName = exchangeName
        self.guid = guid
        self.status = status
        self.entryID = entryID
        self.identifiedByGUID = identifiedByGUID
        self.needsManualAction = needsManualAction
        self.line = line
    }

    enum CodingKeys: String, CodingKey {
        case accountKey, accountAnchor, exchangeName, guid, status
        case entryID
        case identifiedByGUID
        case needsManualAction, line
    }
}

/// What to run to bring reality back in line with the register.
public struct RemediationPlan: Sendable, Hashable, Codable {
    /// The file written beside the report.
    public static let fileName = "remediation.ps1"

    public var fileName: String
    /// One per unapproved or expired bypass, in inventory order.
    public var commands: [RemediationCommand]

    public init(commands: [RemediationCommand]) {
        self.fileName = RemediationPlan.fileName
        self.commands = commands
    }
}
