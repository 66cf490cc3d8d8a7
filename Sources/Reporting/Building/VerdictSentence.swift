import Core

/// The verdict and the one sentence a reviewer reads first.
enum VerdictSentence {
    static func verdict(findings: SeverityCounts, controls: ControlStatusCounts, accounts: AccountStatusCounts) -> Verdict {
        if findings.critical + findings.high > 0 || controls.fail > 0 || accounts.expired + accounts.unapproved > 0 {
            return .actionRequired
        }
        if findings.medium + findings.low > 0 || controls.warn > 0 { return .attentionNeeded }
        return .noActionNeeded
    }

    /// What opens the sentence when the report was built over a chain that does not verify (`--allow-unverified`):
    /// rows may have been deleted or edited, so the findings below may be missing some. Empty when it verified.
    static func unverifiedWarning(_ problems: [String]) -> String {
        guard let first = problems.first else { return "" }
        return "UNVERIFIED EVIDENCE: the history hash chain does not verify (\(ReportFormatting.count(problems.count, "problem")); "
            + "first: \(first)), so findings may be missing or wrong. "
    }

    /// e.g. "Action required: 3 accounts bypass mailbox auditing at 2026-10-31 (1 approved, 1 unapproved, 1 expired
    /// approval); 4 findings (1 critical, 2 high, 1 low); controls: 2 pass, 1 warn, 2 fail."
    static func sentence(
        verdict: Verdict, asOfDay: UTCDay, findings: SeverityCounts, controls: ControlStatusCounts,
        accounts: AccountStatusCounts, daysWithoutData: Int
    ) -> String {
        let bypassed = accounts.approved + accounts.expiringSoon + accounts.expired + accounts.unapproved
        var parts: [String] = []
        if bypassed == 0 {
            parts.append("no account bypasses mailbox auditing at \(asOfDay)")
        } else {
            var states: [String] = []
            if accounts.unapproved > 0 { states.append("\(accounts.unapproved) unapproved") }
            if accounts.expired > 0 { states.append("\(accounts.expired) on an expired approval") }
            if accounts.expiringSoon > 0 { states.append("\(accounts.expiringSoon) approved but expiring soon") }
            if accounts.approved > 0 { states.append("\(accounts.approved) approved") }
            let verb = bypassed == 1 ? "bypasses" : "bypass"
            parts.append("\(ReportFormatting.count(bypassed, "account")) \(verb) mailbox auditing at \(asOfDay) (\(ReportFormatting.list(states)))")
        }
        if findings.total == 0 {
            parts.append("no findings")
        } else {
            let bySeverity = Severity.descending.filter { findings[$0] > 0 }.map { "\(findings[$0]) \($0.rawValue)" }
            parts.append("\(ReportFormatting.count(findings.total, "finding")) (\(bySeverity.joined(separator: ", ")))")
        }
        parts.append("controls: \(controls.pass) pass, \(controls.warn) warn, \(controls.fail) fail")
        if daysWithoutData > 0 {
            parts.append("\(ReportFormatting.count(daysWithoutData, "day")) without audit data")
        }
        return "\(verdict.label): " + parts.joined(separator: "; ") + "."
    }
}
