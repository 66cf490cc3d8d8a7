import Foundation

/// Office 365 Management Activity API records as NDJSON lines, for the end-to-end tests that feed the real binary.
enum AuditRecordLines {
    static let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"

    /// A `Set-MailboxAuditBypassAssociation` record. `id`/`tenant` nil leave the key out; `extra` is spliced in as
    /// raw JSON members (`"Junk": 1e400`).
    static func bypass(
        id: String?, identity: String, enabled: String = "True", time: String = "2026-10-21T03:14:07",
        tenant: String? = tenant, actor: String = "helpdesk-temp@contoso.com", extra: String? = nil
    ) -> String {
        var members = [#""CreationTime":"\#(time)""#]
        if let id { members.append(#""Id":"\#(id)""#) }
        members += [
            #""Operation":"Set-MailboxAuditBypassAssociation""#, #""RecordType":1"#, #""ResultStatus":"True""#,
            #""UserId":"\#(actor)""#, #""Workload":"Exchange""#, #""ClientIP":"203.0.113.7""#,
            #""ObjectId":"\#(identity)""#,
        ]
        if let tenant { members.append(#""OrganizationId":"\#(tenant)""#) }
        members.append(
            #""Parameters":[{"Name":"Identity","Value":"\#(identity)"},{"Name":"AuditBypassEnabled","Value":"\#(enabled)"}]"#)
        if let extra { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// `Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $false`: the audit-impairment record the bundled
    /// rules store and alert on.
    static func auditIngestionDisabled(id: String, time: String = "2026-10-21T04:00:00") -> String {
        #"{"CreationTime":"\#(time)","Id":"\#(id)","Operation":"Set-AdminAuditLogConfig","OrganizationId":"\#(tenant)","RecordType":1,"ResultStatus":"True","UserId":"mallory@contoso.com","Workload":"Exchange","ObjectId":"Admin Audit Log Settings","Parameters":[{"Name":"Identity","Value":"Admin Audit Log Settings"},{"Name":"UnifiedAuditLogIngestionEnabled","Value":"False"}]}"#
    }

    /// An unrelated record the prefilter passes over.
    static func noise(id: String, time: String = "2026-10-21T05:00:00") -> String {
        #"{"CreationTime":"\#(time)","Id":"\#(id)","Operation":"MailItemsAccessed","OrganizationId":"\#(tenant)","RecordType":50,"ResultStatus":"Succeeded","UserId":"j.doe@contoso.com","Workload":"Exchange"}"#
    }
}
