import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Policy

/// A complete entry (no warnings) as YAML lines at the usual two-space indentation: 10 lines, `- id:` first.
func completeEntry(_ id: String, account: String, aliases: String? = nil, replacing: [String: String] = [:]) -> String {
    var fields: [(String, String)] = [
        ("account", account), ("category", "third-party-tool"), ("tool", "Backup tool"), ("owner", "team@contoso.com"),
        ("justification", "Reads every mailbox."), ("approved_by", "ciso@contoso.com"), ("approved_on", "2026-01-15"),
        ("ticket", "CHG-1"), ("expires_on", "2027-01-15"),
    ]
    if let aliases { fields.insert(("aliases", aliases), at: 1) }
    var lines = ["  - id: \(id)"]
    for (key, value) in fields {
        if let replacement = replacing[key] {
            if !replacement.isEmpty { lines.append("    " + replacement) }
        } else {
            lines.append("    \(key): \(value)")
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

func loadRegister(_ yaml: String) -> AllowlistLoadResult {
    AllowlistLoader.load(content: yaml, path: "t.yaml")
}

extension AllowlistLoadResult {
    /// `line:col severity message` of every issue, for exact comparisons.
    var located: [String] { issues.map { "\($0.position?.description ?? "-") \($0.severity.rawValue) \($0.message)" } }
}

@Suite struct AllowlistLoaderTests {
    @Test func bundledRegisterIsValidWithOnlyTheMissingLegalBasisWarning() throws {
        let path = TestPaths.packageRoot.appendingPathComponent("Policies/allowlist.yaml").path
        let result = try AllowlistLoader.load(path: path)
        #expect(result.isValid)
        #expect(result.errors.isEmpty)
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.entryID == "AB-0003")
        #expect(result.warnings.first?.message.contains("legal_basis is empty") == true)
        let allowlist = try #require(result.allowlist)
        #expect(allowlist.version == 1 && allowlist.reviewIntervalDays == 90 && allowlist.expiryWarningDays == 30)
        #expect(allowlist.authorizedAdmins == ["exo-admin@contoso.com"])
        #expect(allowlist.entries.map(\.id) == ["AB-0001", "AB-0002", "AB-0003", "AB-0004", "AB-0005"])
        #expect(allowlist.sha256 == SHA256Digest.hex(of: try Data(contentsOf: URL(fileURLWithPath: path))))
        let backup = try #require(allowlist.entry(withID: "AB-0001"))
        #expect(backup.aliases == ["svc-backup", "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"])
        #expect(backup.tool == "Veeam Backup for Microsoft 365")
        #expect(allowlist.entries(naming: AccountName("SVC-BACKUP")).map(\.id) == ["AB-0001"])
        #expect(allowlist.entries(naming: AccountName("svc")).isEmpty, "names match whole, never substrings")

        // The demo story at the end of the demo period (2026-10-31) and on "today" (2026-11-29).
        let endOfPeriod = try #require(UTCDay("2026-10-31"))
        func standing(_ id: String, _ day: UTCDay) throws -> AllowlistEntryStanding {
            allowlist.standing(of: try #require(allowlist.entry(withID: id)), on: day)
        }
        #expect(try standing("AB-0001", endOfPeriod).labels == ["ok"])
        #expect(try standing("AB-0002", endOfPeriod).expired)
        #expect(try standing("AB-0002", try #require(UTCDay("2026-09-30"))).expired == false, "valid through its expiry day")
        #expect(try standing("AB-0003", endOfPeriod).reviewOverdue)
        #expect(try standing("AB-0003", endOfPeriod).missingFields == ["legal_basis"])
        #expect(try standing("AB-0004", endOfPeriod).expiringSoon)
        #expect(try standing("AB-0004", endOfPeriod).daysToExpiry == 15)
        #expect(try standing("AB-0005", endOfPeriod).labels == ["ok"])
        #expect(try standing("AB-0005", try #require(UTCDay("2026-11-29"))).labels == ["ok"])
    }

    @Test func missingFileThrowsNamingIt() {
        #expect(throws: AllowlistLoadError.missing(path: "/nonexistent/allowlist.yaml")) {
            try AllowlistLoader.load(path: "/nonexistent/allowlist.yaml")
        }
        #expect(AllowlistLoadError.missing(path: "x/allow.yaml").description.hasPrefix("allowlist file not found: x/allow.yaml"))
    }

    @Test func issueDescriptionIsCompilerStyle() {
        let issue = AllowlistIssue(file: "a.yaml", position: SourcePosition(line: 3, column: 7), severity: .error, message: "bad")
        #expect(issue.description == "a.yaml:3:7: error: bad")
        let whole = AllowlistIssue(file: "a.yaml", position: nil, severity: .warning, message: "w")
        #expect(whole.description == "a.yaml: warning: w")
    }

    @Test func unparseableYAMLIsOneLocatedError() {
        let result = loadRegister("version: 1\nentries:\n  - id: AB-0001\n    account: \"unterminated\n")
        #expect(!result.isValid && result.allowlist == nil)
        #expect(result.issues.count == 1)
        let issue = result.issues[0]
        #expect(issue.message.hasPrefix("not valid YAML: found unexpected end of stream"))
        #expect(issue.position == SourcePosition(line: 5, column: 1))

        let tab = loadRegister("version: 1\nentries:\n\t- id: x\n")
        #expect(tab.issues.first?.position == SourcePosition(line: 3, column: 1))
    }

    @Test func repeatedKeyInOneMappingIsAnError() {
        let yaml = "version: 1\nentries:\n" + completeEntry("AB-0001", account: "a@x.com") + "    ticket: CHG-2\n"
        let result = loadRegister(yaml)
        #expect(result.located == ["11:5 error not valid YAML: key 'ticket' appears more than once in the same mapping"])
    }

    @Test func unknownKeysSuggestTheClosestKnownKey() {
        let yaml = """
            version: 1
            entires: []
            review_interval: 30
            entries:
              - id: AB-0001
                account: a@x.com
                category: third-party-tool
                tool: T
                owner: o
                justification: j
                approved_by: c
                approved_on: 2026-01-15
                tikcet: CHG-1
                legal-basis: x
                expires_on: 2027-01-15
                colour: blue

            """
        let result = loadRegister(yaml)
        #expect(
            result.located == [
                "2:1 error unknown key 'entires'; did you mean 'entries'?",
                "3:1 error unknown key 'review_interval'; did you mean 'review_interval_days'?",
                "5:5 warning entry AB-0001: ticket is missing (required for every written exception)",
                "13:5 error unknown key 'tikcet'; did you mean 'ticket'?",
                "14:5 error unknown key 'legal-basis'; did you mean 'legal_basis'?",
                "16:5 error unknown key 'colour' (known keys: id, account, aliases, category, tool, legal_basis, owner, "
                    + "justification, approved_by, approved_on, ticket, last_reviewed_on, expires_on)",
            ])
        #expect(result.allowlist == nil)
    }

    @Test func wrongTypesAreLocated() {
        let yaml = """
            version: one
            review_interval_days: "90"
            expiry_warning_days: -1
            authorized_admins: exo-admin@contoso.com
            entries:
              - id: [AB-0001]
                account: a@x.com
              - id: AB-0002
                account: {name: b}
                aliases: b
              - id: AB-0003
                account: c@x.com
                aliases: [c, [nested], ""]
                tool: [one, two]
              - just a string

            """
        let result = loadRegister(yaml)
        let errors = result.errors.map { "\($0.position?.description ?? "-") \($0.message)" }
        #expect(
            errors == [
                "1:10 version must be a whole number, not 'one'",
                "2:23 review_interval_days must be a whole number, not '90'",
                "3:22 expiry_warning_days must not be negative (it is -1)",
                "4:20 authorized_admins must be a list, e.g. [exo-admin@contoso.com]",
                "6:9 id must be text, not a list",
                "9:14 account must be text, not a mapping",
                "10:14 aliases must be a list, e.g. [svc-backup, 7f9c2e4a-…]",
                "13:18 each item of aliases must be text, not a list",
                "13:28 aliases has an empty item",
                "14:11 tool must be text, not a list",
                "15:5 an entry must be a mapping of keys (e.g. 'id: AB-0001')",
            ])
    }

    @Test func badDatesAndExpiryNotAfterApproval() {
        let yaml =
            "version: 1\nentries:\n"
            + completeEntry("AB-0001", account: "a@x.com", replacing: ["approved_on": "approved_on: 2026-02-30"])
            + completeEntry("AB-0002", account: "b@x.com", replacing: ["expires_on": "expires_on: 2026-1-5"])
            + completeEntry("AB-0003", account: "c@x.com", replacing: ["expires_on": "expires_on: 2026-01-15"])
            + completeEntry("AB-0004", account: "d@x.com", replacing: ["expires_on": "expires_on: 2025-12-31"])
            + completeEntry("AB-0005", account: "e@x.com", replacing: ["expires_on": "expires_on: \"next year\""])
        let result = loadRegister(yaml)
        let errors = result.errors.map { "\($0.position?.description ?? "-") \($0.message)" }
        #expect(
            errors == [
                "10:18 approved_on '2026-02-30' is not a real date in YYYY-MM-DD form",
                "22:17 expires_on '2026-1-5' is not a real date in YYYY-MM-DD form",
                "32:17 expires_on 2026-01-15 is not after approved_on 2026-01-15",
                "42:17 expires_on 2025-12-31 is not after approved_on 2026-01-15",
                "52:17 expires_on 'next year' is not a real date in YYYY-MM-DD form",
            ])
        // A bad date is reported once, as an error, not again as a missing field.
        #expect(result.warnings.isEmpty)
    }

    @Test func duplicateIdsAndNamesInTwoEntries() {
        let yaml =
            "version: 1\nentries:\n"
            + completeEntry("AB-0001", account: "svc-backup@contoso.com", aliases: "[svc-backup, 7F9C2E4A-1B2C-4D5E-8F90-A1B2C3D4E5F6]")
            + completeEntry("ab-0001", account: "other@contoso.com")
            + completeEntry("AB-0003", account: "SVC-Backup@Contoso.com", aliases: "[svc-backup-2, 7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6]")
            + completeEntry("AB-0004", account: "svc-backup-3", aliases: "[svc-backup-3]")
        let result = loadRegister(yaml)
        #expect(
            result.located == [
                "14:9 error duplicate id 'ab-0001' (already used at line 3)",
                "25:14 error 'SVC-Backup@Contoso.com' is already listed in entry AB-0001 (line 4); a name may appear in one entry only",
                "26:29 error '7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6' is already listed in entry AB-0001 (line 5); a name may appear in one entry only",
                "37:15 warning 'svc-backup-3' is listed twice in entry AB-0004 (first at line 36)",
            ])
        #expect(result.allowlist == nil)
    }

    @Test func unknownCategoryAndUnsupportedVersion() {
        let yaml =
            "version: 2\nentries:\n"
            + completeEntry("AB-0001", account: "a@x.com", replacing: ["category": "category: third-party"])
            + completeEntry("AB-0002", account: "b@x.com", replacing: ["category": "category: backup"])
        let result = loadRegister(yaml)
        #expect(
            result.errors.map { "\($0.position?.description ?? "-") \($0.message)" } == [
                "1:10 version 2 is not supported (this tool reads version 1)",
                "5:15 unknown category 'third-party'; did you mean 'third-party-tool'?",
                "15:15 unknown category 'backup' (one of: third-party-tool, lawful-monitoring)",
            ])
    }

    @Test func missingVersionIdAndAccount() {
        let yaml = """
            entries:
              - account: a@x.com
              - id: AB-0002

            """
        let result = loadRegister(yaml)
        #expect(
            result.errors.map { "\($0.position?.description ?? "-") \($0.message)" } == [
                "1:1 missing 'version: 1' (the register format this file is written in)",
                "2:5 entry has no id (add 'id: AB-…', unique and stable)",
                "3:5 entry AB-0002 has no account (the name the bypass is set on)",
            ])
        #expect(loadRegister("").located == ["1:1 error the register is empty: expected 'version: 1' and 'entries:'"])
        #expect(loadRegister("- a\n- b\n").errors.first?.message == "the register must be a mapping of keys (e.g. 'version: 1')")
    }

    @Test func missingRequiredFieldsWarnButTheEntryStillApproves() throws {
        let yaml = """
            version: 1
            entries:
              - id: AB-0001
                account: tool@x.com
                category: third-party-tool
                tool: ""
                justification: j
                approved_by: c
                approved_on: 2026-01-15
                ticket:
                expires_on: 2027-01-15
              - id: AB-0002
                account: monitor@x.com
                category: lawful-monitoring
                owner: legal
                justification: j
                approved_by: c
                approved_on: 2026-01-15
                ticket: L-1
                expires_on: 2027-01-15
              - id: AB-0003
                account: nothing@x.com

            """
        let result = loadRegister(yaml)
        #expect(result.isValid)
        #expect(result.errors.isEmpty)
        let warnings = result.warnings.map { "\($0.position?.description ?? "-") \($0.message)" }
        #expect(
            warnings == [
                "3:5 entry AB-0001: owner is missing (required for every written exception)",
                "6:11 entry AB-0001: tool is empty (required for third-party-tool: the product that uses the account)",
                "10:12 entry AB-0001: ticket is empty (required for every written exception)",
                "12:5 entry AB-0002: legal_basis is missing (required for lawful-monitoring: the authority — case, warrant or policy reference)",
                "21:5 entry AB-0003: category is missing (required: third-party-tool or lawful-monitoring)",
                "21:5 entry AB-0003: owner is missing (required for every written exception)",
                "21:5 entry AB-0003: justification is missing (required for every written exception)",
                "21:5 entry AB-0003: approved_by is missing (required for every written exception)",
                "21:5 entry AB-0003: approved_on is missing (required for every written exception)",
                "21:5 entry AB-0003: ticket is missing (required for every written exception)",
                "21:5 entry AB-0003: expires_on is missing (required for every written exception)",
            ])
        let allowlist = try #require(result.allowlist)
        #expect(allowlist.entries.count == 3)
        #expect(allowlist.entries(naming: AccountName("monitor@x.com")).map(\.id) == ["AB-0002"])
        #expect(result.warnings.allSatisfy { $0.entryID != nil })
    }

    @Test func reviewBeforeApprovalWarns() {
        let yaml = "version: 1\nentries:\n" + completeEntry("AB-0001", account: "a@x.com") + "    last_reviewed_on: 2025-12-01\n"
        let result = loadRegister(yaml)
        #expect(result.isValid)
        #expect(result.located == ["13:23 warning last_reviewed_on 2025-12-01 is before approved_on 2026-01-15"])
    }

    @Test func everyProblemIsReportedInFileOrder() {
        let yaml =
            "version: 1\nentries:\n"
            + completeEntry("AB-0001", account: "a@x.com", replacing: ["approved_on": "approved_onn: 2026-01-15"])
            + completeEntry("AB-0001", account: "a@x.com", replacing: ["category": "category: lawful"])
        let result = loadRegister(yaml)
        #expect(result.errors.count == 3)
        let lines = result.issues.compactMap { $0.position?.line }
        #expect(lines == lines.sorted())
        #expect(result.errors.map { $0.position?.line } == [10, 13, 15])
    }

    @Test func nullEntriesAndEmptyListsAreEmptyRegisters() throws {
        for yaml in ["version: 1\nentries:\n", "version: 1\nentries: []\n", "version: 1\n", "version: 1\nauthorized_admins:\nentries: ~\n"] {
            let result = loadRegister(yaml)
            #expect(result.isValid, "\(yaml)")
            #expect(try #require(result.allowlist).entries.isEmpty)
            #expect(try #require(result.allowlist).authorizedAdmins.isEmpty)
        }
    }

    @Test func nonUTF8FileIsLocated() throws {
        let folder = try TestPaths.temporaryDirectory()
        let path = folder.appendingPathComponent("bad.yaml").path
        let data = Data("version: 1\nentries:\n  - id: AB".utf8) + Data([0xFF]) + Data("\n".utf8)
        try data.write(to: URL(fileURLWithPath: path))
        let result = try AllowlistLoader.load(path: path)
        #expect(result.located == ["3:11 error the file is not UTF-8 text"])
    }
}
