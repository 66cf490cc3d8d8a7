import Foundation

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Drift
@testable import Inventory
@testable import Policy
@testable import Reporting

/// A tenant where every string an attacker can write (account names, actors, IPs, event ids, parameters, notes,
/// register fields, file names) tries to break out of HTML, Markdown, CSV or PowerShell.
enum HostileSamples {
    static let names = [
        "<img src=x onerror=alert(1)>",
        "`|](",
        "'; Remove-Mailbox -Identity x; '",
        "=cmd|' /C calc'!A0",
        "evil\nSet-Mailbox -AuditEnabled $false",
        "admin\u{202E}gpj.exe",
        "\u{2018}smart\u{2019}quote\u{201B}\u{201A}",
        "<script>alert(1)</script>",
        "[link](javascript:alert(1))",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3",
        "|a|b|c|",
        "line\r\nbreak",
        "\"><svg onload=alert(1)>",
        "&lt;b&gt;entity&lt;/b&gt;",
    ]

    /// The names given a GUID; the others must be named in the script (or, with hidden characters, left to a person).
    static func guid(for index: Int) -> String? {
        index % 2 == 0 ? String(format: "%08x-1b2c-4d5e-8f90-a1b2c3d4e5f6", index) : nil
    }

    static let actor = "attacker<script>|`@x\n'; Stop-Computer; '"
    static let approvedName = "=HYPERLINK(\"http://evil.example\",\"approved\")"

    static var accounts: [InventoryAccount] {
        let tenant = ReportSamples.tenant
        var accounts = names.enumerated().map { index, name in
            let change = BypassChange(
                eventID: "evt-<i>\(index)</i>|`\n", time: ReportSamples.time("2026-10-10T10:00:00Z").addingTimeInterval(Double(index) * 60),
                tenant: tenant, actor: actor, clientIP: "<b>203.0.113.\(index)</b>|", identity: name, objectID: nil, direction: .enabled,
                outcome: .success, originalStatus: "Succeeded\u{202E}", kind: .enabled)
            let attempt = BypassChange(
                eventID: "try-\(index)-=1+1", time: change.time.addingTimeInterval(-30), tenant: tenant, actor: "=" + actor,
                clientIP: "-1+1", identity: name, objectID: nil, direction: .enabled, outcome: .failure, originalStatus: "Failed",
                kind: .failedAttempt)
            let guid = guid(for: index)
            return InventoryAccount(
                id: AccountID(tenant: tenant, key: guid.map { "guid:\($0)" } ?? "name:\(AccountName.key(for: name))"),
                displayName: name, exchangeName: name, guid: guid, names: [name, name + "|alias"], bypassEnabled: true,
                since: change.time, setBy: actor, lastEventID: change.eventID, source: .events, changes: [change], attempts: [attempt],
                snapshotObservations: [])
        }
        accounts.append(
            InventoryAccount(
                id: AccountID(tenant: tenant, key: "name:approved"), displayName: approvedName, exchangeName: approvedName, guid: nil,
                names: [approvedName], bypassEnabled: true, since: ReportSamples.time("2026-01-01T00:00:00Z"), setBy: "admin",
                lastEventID: nil, source: .snapshot, changes: [], attempts: [], snapshotObservations: []))
        return accounts
    }

    static var inputs: ReportInputs {
        var inputs = ReportSamples.inputs()
        let accounts = accounts
        inputs.inventory.accounts = accounts
        inputs.inventory.snapshots[0].fileName = "<img src=x onerror=alert(2)>.csv\n|x|"
        inputs.inventory.indeterminateChanges = [
            BypassChange(
                eventID: "<b>indeterminate</b>", time: ReportSamples.time("2026-10-11T00:00:00Z"), tenant: ReportSamples.tenant,
                actor: actor, clientIP: nil, identity: "[x](http://evil)", objectID: nil, direction: .unknown, outcome: .success,
                originalStatus: nil, kind: .indeterminate)
        ]
        inputs.allowlist.entries = [
            AllowlistEntry(
                id: "AB-<1>|", account: approvedName, category: .thirdPartyTool, tool: "<b>tool</b>|", owner: "=owner@x|y",
                justification: "line\nbreak <script>alert(3)</script> `code` [l](http://x)", approvedBy: "+approver",
                approvedOn: UTCDay("2026-01-01"), ticket: "@ticket", lastReviewedOn: UTCDay("2026-10-01"), expiresOn: UTCDay("2027-01-01"))
        ]
        inputs.allowlist.authorizedAdmins = ["admin", "<i>x</i>"]
        inputs.edits = [
            AllowlistEdit(
                at: ReportSamples.time("2026-10-03T00:00:00Z"), by: actor, action: .add, entryID: "AB-<1>|", reason: "=1+1 <b>why</b>\n|",
                summary: "`added` [x](y)")
        ]
        inputs.alerts = accounts.prefix(3).enumerated().map { index, account in
            ReportSamples.alert(
                Int64(index + 1), event: account.changes.first?.eventID ?? "x", at: "2026-10-10T10:00:00Z", actor: actor,
                target: account.displayName,
                triage: index == 0 ? AlertTriage(by: actor, note: "<script>alert(4)</script>\n| note |", at: ReportSamples.time("2026-10-11T00:00:00Z")) : nil)
        }
        inputs.drift.findings = accounts.dropLast().map { account in
            Finding(
                id: "unapproved-bypass:\(account.id.key)", kind: .unapprovedBypass, severity: .high, tenant: ReportSamples.tenant,
                account: account.id.key, names: account.names, entryID: nil,
                detail: "Bypass on \(account.displayName) set by \(actor)",
                evidence: [Evidence(kind: .event, reference: account.changes[0].eventID, time: account.changes[0].time, note: "<img src=y onerror=alert(5)>|")],
                action: "Remove \(account.displayName)")
        }
        inputs.drift.controls = ReportSamples.controls.map { control in
            var control = control
            control.reason = "reason <b>|</b> `x` \n [l](j)"
            control.findingIDs = []
            return control
        }
        inputs.previous = nil
        inputs.history = []
        return inputs
    }

    static var report: Report { ReportBuilder.build(inputs) }
}
