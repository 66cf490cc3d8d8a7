import Foundation

/// `bypass-auditor init`: the files a new project starts from, written once and never overwritten.
public enum ProjectSkeleton {
    /// A register with the schema explained and no entry yet: valid, so drift runs on it at once.
    public static let register = """
        # Mailbox audit bypass exception register (the "written exception" of CIS Microsoft 365 Foundations 6.1.3).
        #
        # Every account on which Set-MailboxAuditBypassAssociation -AuditBypassEnabled $true is set must be approved here.
        # Check this file with `bypass-auditor allowlist validate`; edit it by hand (in git, reviewed like code) or with
        # `bypass-auditor allowlist add | renew ID | remove ID`, which keep every comment and the layout, and log who
        # changed what in the database. Drift and report refuse to run on an invalid register and say why.
        #
        # Schema (version 1; the keys are fixed, unknown keys are errors):
        #   version               always 1
        #   review_interval_days  an entry not reviewed within this many days is overdue
        #   expiry_warning_days   warn this long before an approval expires
        #   authorized_admins     who may change bypass associations; absent or empty = not checked
        #   entries               one per exempted account:
        #     id                  unique and stable (AB-0001, AB-0002, …); never reuse the id of a removed entry
        #     account             the account the bypass is set on (UPN)
        #     aliases             other names of the same account (alias, GUID); a name may appear in one entry only
        #     category            third-party-tool | lawful-monitoring
        #     tool                required for third-party-tool: the product that uses the account
        #     legal_basis         required for lawful-monitoring: the authority (case, warrant, policy reference)
        #     owner, justification, approved_by, approved_on, ticket, expires_on   required for every entry
        #     last_reviewed_on    the last review (renew records a new one)
        # Dates are YYYY-MM-DD in UTC. An approval is valid through its expires_on day, which must be after approved_on.
        # Names match whole and case-insensitively, never as substrings.

        version: 1
        review_interval_days: 90
        expiry_warning_days: 30
        # Who may change bypass associations; leave empty to not check.
        authorized_admins:

        # Add entries with `bypass-auditor allowlist add --account … --category …` (or by hand, as shown above).
        entries:

        """

    /// The project configuration: paths relative to this file's folder, so every command finds the same files from
    /// anywhere in the project.
    public static let configuration = """
        # bypass-auditor project configuration, found by walking up from the working folder.
        # Relative paths are relative to this file's folder. A flag (--db, --allowlist, --rules, --out) wins over
        # BYPASS_AUDITOR_DB / BYPASS_AUDITOR_ALLOWLIST, which win over this file.
        [paths]
        db = "bypass-auditor.sqlite"
        allowlist = "Policies/allowlist.yaml"
        rules = "Policies/rules"
        reports = "Reports"

        """

    /// What `create(in:)` did with each file.
    public struct Outcome: Sendable, Hashable {
        /// Files written, absolute.
        public var created: [String]
        /// Files that already existed and were left as they are.
        public var kept: [String]
    }

    /// Writes the configuration and the register skeleton into `folder` (created when absent), keeping any file
    /// that already exists, and creates the rules and reports folders.
    public static func create(in folder: URL) throws -> Outcome {
        let manager = FileManager.default
        var outcome = Outcome(created: [], kept: [])
        let files = [
            (ProjectConfiguration.fileName, configuration), ("Policies/allowlist.yaml", register),
        ]
        for (name, text) in files {
            let url = folder.appendingPathComponent(name).standardizedFileURL
            if manager.fileExists(atPath: url.path) {
                outcome.kept.append(url.path)
                continue
            }
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            outcome.created.append(url.path)
        }
        for name in ["Policies/rules", "Reports"] {
            let url = folder.appendingPathComponent(name).standardizedFileURL
            if !manager.fileExists(atPath: url.path) {
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
                outcome.created.append(url.path + "/")
            }
        }
        return outcome
    }
}
