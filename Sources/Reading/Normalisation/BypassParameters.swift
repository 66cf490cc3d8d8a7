import Core

/// Keeps a bypass change readable when its record carries `Parameters` as one PowerShell string.
///
/// Elastic stores such a string only as `o365.audit.Parameters._raw`, which hides who was exempted and in which
/// direction. For `Set-MailboxAuditBypassAssociation` alone, `-Identity` and `-AuditBypassEnabled` are read out of it
/// into `o365.audit.Parameters.Identity` / `.AuditBypassEnabled` ("True"/"False", as the Name/Value form writes them),
/// unless the document already has them.
enum BypassParameters {
    static let identity = ECSField.parametersPrefix + "Identity"
    static let auditBypassEnabled = ECSField.parametersPrefix + "AuditBypassEnabled"

    static func recoverFromRawParameters(in fields: inout [String: FieldValue]) {
        guard fields[ECSField.action]?.keywords.contains(ECSField.bypassCmdlet) == true,
            case .string(let raw)? = fields[ECSField.rawParameters]
        else { return }
        let arguments = PowerShellArguments(parsing: raw)
        if fields[identity] == nil, let value = arguments.value(of: "Identity"), !value.isEmpty {
            fields[identity] = .string(value)
        }
        if fields[auditBypassEnabled] == nil, let value = arguments.value(of: "AuditBypassEnabled"), !value.isEmpty {
            fields[auditBypassEnabled] = .string(PowerShellArguments.booleanText(value))
        }
    }
}
