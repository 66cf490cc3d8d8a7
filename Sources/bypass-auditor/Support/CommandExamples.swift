/// The EXAMPLES section at the end of every command's help (argument-parser prints `discussion` there), kept in one
/// place so the set reads as one. Lines stay under 80 columns: the help is wrapped at the terminal width.
enum Examples {
    private static func section(_ lines: String...) -> String {
        "EXAMPLES:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }

    /// `discussion` followed by the examples.
    static func after(_ discussion: String, _ examples: String) -> String { discussion + "\n\n" + examples }

    static let root = section(
        "bypass-auditor init                      # config, register, rules, folders",
        "bypass-auditor ingest /var/log/o365/     # or a Purview CSV, an API dump",
        "bypass-auditor detect",
        "bypass-auditor drift --fail-on high      # exit 3 when action is needed",
        "bypass-auditor report --period 2026-10",
        "bypass-auditor help report")

    static let ingest = section(
        "bypass-auditor ingest /var/log/o365/             # folders, files, .gz",
        "bypass-auditor ingest --input-format purview-csv AuditLog.csv",
        "zcat audit.ndjson.gz | bypass-auditor ingest -",
        "bypass-auditor ingest --reread /var/log/o365/    # read it all again",
        "bypass-auditor ingest --from-elasticsearch https://es.example:9200 \\",
        "  --api-key-file ~/.es-api-key --since 2026-10-01")

    static let collect = section(
        "bypass-auditor collect --tenant contoso.onmicrosoft.com \\",
        "  --client-id <app-id> --certificate app.pem --private-key app.key",
        "bypass-auditor collect --tenant <tenant-id> --client-id <app-id> \\",
        "  --client-secret-file ~/.client-secret --since 2026-11-01")

    static let detect = section(
        "bypass-auditor detect",
        "bypass-auditor detect --ndjson >> alerts.ndjson   # for a SIEM",
        "bypass-auditor detect --rules Policies/rules --as-of 2026-11-01")

    static let alerts = section(
        "bypass-auditor alerts",
        "bypass-auditor alerts list --status open --json",
        "bypass-auditor alerts ack 42 --by alice@contoso.com --note \"CHG-1234\"")

    static let alertsList = section(
        "bypass-auditor alerts list",
        "bypass-auditor alerts list --status open --json")

    static let alertsAck = section(
        "bypass-auditor alerts ack 42 --by alice@contoso.com \\",
        "  --note \"approved change CHG-1234\"")

    static let watch = section(
        "bypass-auditor watch /var/log/o365/ --interval 5m",
        "bypass-auditor watch /var/log/o365/ --ndjson --output alerts.ndjson",
        "bypass-auditor watch --collect --tenant <tenant-id> --client-id <app-id> \\",
        "  --certificate app.pem --private-key app.key")

    static let snapshot = section(
        "bypass-auditor snapshot script > export.ps1   # run it in Exchange Online",
        "bypass-auditor snapshot import --complete bypass-associations.csv",
        "bypass-auditor snapshot list")

    static let snapshotImport = section(
        "bypass-auditor snapshot import --complete bypass-associations.csv",
        "bypass-auditor snapshot import --taken-at 2026-11-01T08:00:00Z export.json")

    static let snapshotList = section(
        "bypass-auditor snapshot list",
        "bypass-auditor snapshot list --json")

    static let snapshotScript = section(
        "bypass-auditor snapshot script > export.ps1",
        "pwsh ./export.ps1    # after Connect-ExchangeOnline")

    static let snapshotRemove = section(
        "bypass-auditor snapshot list",
        "bypass-auditor snapshot remove 3 --reason \"imported the wrong tenant's file\"")

    static let snapshotRedate = section(
        "bypass-auditor snapshot redate 3 --taken-at 2026-11-01T08:00:00Z \\",
        "  --reason \"the export ran a day before the import\"")

    static let inventory = section(
        "bypass-auditor inventory",
        "bypass-auditor inventory list --as-of 2026-10-31 --all",
        "bypass-auditor inventory show svc-backup@contoso.com")

    static let inventoryList = section(
        "bypass-auditor inventory list",
        "bypass-auditor inventory list --as-of 2026-10-31 --all --json")

    static let inventoryShow = section(
        "bypass-auditor inventory show svc-backup@contoso.com",
        "bypass-auditor inventory show 7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6 --json")

    static let verify = section(
        "bypass-auditor verify",
        "bypass-auditor verify --expect-head <chain head from last month's report>",
        "bypass-auditor verify --json")

    static let allowlist = section(
        "bypass-auditor allowlist validate",
        "bypass-auditor allowlist list --as-of 2026-10-31",
        "bypass-auditor allowlist show AB-0001",
        "bypass-auditor allowlist renew AB-0004 --reviewed-on 2026-11-20 --dry-run")

    static let allowlistList = section(
        "bypass-auditor allowlist list",
        "bypass-auditor allowlist list --as-of 2026-10-31 --json")

    static let allowlistShow = section(
        "bypass-auditor allowlist show AB-0001",
        "bypass-auditor allowlist show AB-0001 --db audit.sqlite --json")

    static let allowlistValidate = section(
        "bypass-auditor allowlist validate",
        "bypass-auditor allowlist validate --allowlist other/allowlist.yaml --json")

    static let drift = section(
        "bypass-auditor drift",
        "bypass-auditor drift --period 2026-10 --fail-on high   # exit 3 on high+",
        "bypass-auditor drift --as-of 2026-10-31 --json")

    static let report = section(
        "bypass-auditor report                  # the last complete month",
        "bypass-auditor report --period 2026-10 --format html,csv --out /srv/audit",
        "bypass-auditor report --from 2026-10-01 --to 2026-10-15 --json",
        "bypass-auditor report --period 2026-10 --force --reason \"wrong register\"")

    static let reportList = section(
        "bypass-auditor report list",
        "bypass-auditor report list --period 2026-10 --verify",
        "bypass-auditor report list --json")

    static let rules = section(
        "bypass-auditor rules list",
        "bypass-auditor rules list --rules Policies/rules --json",
        "bypass-auditor rules dsl --query 'event.action : \"Set-Mailbox\"'")

    static let rulesList = section(
        "bypass-auditor rules list",
        "bypass-auditor rules list --rules Policies/rules --json")

    static let rulesDSL = section(
        "bypass-auditor rules dsl",
        "bypass-auditor rules dsl --rule <rule_id> --json",
        "bypass-auditor rules dsl --query 'event.action : \"Set-Mailbox\"'")
}
