import Core
import Foundation

/// One row of a `Get-MailboxAuditBypassAssociation` export: the object's names and its `AuditBypassEnabled`.
public struct SnapshotRow: Sendable, Hashable, Codable {
    /// 1 for the first data row of the file.
    public var row: Int
    /// The line of the file the row starts on.
    public var line: Int
    public var name: String?
    public var identity: String?
    public var distinguishedName: String?
    public var guid: String?
    public var exchangeObjectId: String?
    /// As the export wrote it (a GUID in some exports, a path in others).
    public var organizationId: String?
    /// The `AuditBypassEnabled` cell as written (`True`, `false`, `1`, a JSON bool shown as `True`/`False`).
    public var auditBypassEnabled: String?
    /// The cell read with `AuditBypassFlag`; nil when missing or unreadable (the row is indeterminate).
    public var bypassEnabled: Bool?

    public init(
        row: Int, line: Int, name: String? = nil, identity: String? = nil, distinguishedName: String? = nil,
        guid: String? = nil, exchangeObjectId: String? = nil, organizationId: String? = nil,
        auditBypassEnabled: String? = nil
    ) {
        self.row = row
        self.line = line
        self.name = SnapshotRow.cleaned(name)
        self.identity = SnapshotRow.cleaned(identity)
        self.distinguishedName = SnapshotRow.cleaned(distinguishedName)
        self.guid = SnapshotRow.cleaned(guid)
        self.exchangeObjectId = SnapshotRow.cleaned(exchangeObjectId)
        self.organizationId = SnapshotRow.cleaned(organizationId)
        self.auditBypassEnabled = SnapshotRow.cleaned(auditBypassEnabled)
        self.bypassEnabled = AuditBypassFlag.state(of: self.auditBypassEnabled)
    }

    /// The row's tenant when its `OrganizationId` is a tenant GUID (Exchange Online often writes a path instead).
    public var tenant: TenantID? {
        guard let organizationId, AccountName.isGUID(organizationId) else { return nil }
        return TenantID(AccountName.normalizedGUID(organizationId))
    }

    /// Every name the row gives for its object (GUIDs included), as written, without repeats.
    public var names: [AccountName] {
        var seen = Set<String>()
        return [name, identity, distinguishedName, guid, exchangeObjectId].compactMap { $0 }
            .flatMap(AccountName.names(in:))
            .filter { seen.insert($0.key).inserted }
    }

    /// The GUIDs that anchor the row's object, in comparison form (`ExchangeObjectId` first).
    public var guids: [String] {
        var seen = Set<String>()
        return [exchangeObjectId, guid, identity, name].compactMap { $0 }
            .filter { AccountName.isGUID($0.trimmingCharacters(in: .whitespaces)) }
            .map(AccountName.normalizedGUID)
            .filter { seen.insert($0).inserted }
    }

    /// The name to show for the row.
    public var label: String {
        name ?? identity ?? distinguishedName ?? exchangeObjectId ?? guid ?? "row \(row)"
    }

    private static func cleaned(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// A row that could not be read, or whose state is unknown: file, line (and column where it applies), reason.
public struct SnapshotProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?
    /// The data row it concerns, when the row could be told apart.
    public var row: Int?
    public var reason: String

    public init(file: String, line: Int, column: Int? = nil, row: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.row = row
        self.reason = reason
    }

    public var description: String {
        "\(file):\(line)\(column.map { ":\($0)" } ?? ""): \(reason)"
    }
}
