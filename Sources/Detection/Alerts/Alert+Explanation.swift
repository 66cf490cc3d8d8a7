extension Alert {
    /// Whether nobody has triaged the alert yet.
    public var isOpen: Bool { triage == nil }

    /// Whether the alert is about a bypass association (the seed rule and the failed-attempt rule).
    public var concernsBypass: Bool { signal == .bypassChange || signal == .bypassFailedAttempt }

    /// What the bypass change did, in words, for bypass alerts. The seed rule's query matches removals as well as
    /// additions; this says which one the record is instead of leaving both to look alike.
    public var directionExplanation: String? {
        guard concernsBypass else { return nil }
        let account = target ?? objectID ?? "the account"
        let attempted = outcome == .failure ? "attempted (failed): " : ""
        switch direction {
        case .enabled:
            return attempted + "bypass added: mailbox actions by \(account) stop being audited"
        case .removed:
            return attempted
                + "bypass removed: auditing of \(account) resumes (the rule's query matches removals too)"
        case .unknown:
            return attempted + "the record does not say whether the bypass was added or removed"
        }
    }

    /// One line saying what happened: the reason shown in outputs (`kibana.alert.reason`).
    public var reason: String {
        var text = "\(ruleName): \(outcome == .failure ? "failed " : "")event \(eventID)"
        if let actor { text += " by \(actor)" }
        if let target { text += " on \(target)" }
        if let directionExplanation { text += " — \(directionExplanation)" }
        return text
    }
}
