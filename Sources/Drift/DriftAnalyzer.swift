import Core
import Detection
import Foundation

/// Compares reality (inventory, coverage, alerts, detection runs) with the written exception register and says
/// every way they disagree, as findings, and how the seed rule's five practices hold up, as controls.
///
/// Pure: the same inputs give the same result, byte for byte, so finding ids are stable from one run to the next.
///
/// Rules, beyond the list:
/// - An entry matches an account when any of its names equals any of the account's names or GUID (whole names,
///   case-insensitive). An account is approved when any matching entry is in force on the as-of day: from its
///   `approved_on` (an exception written later did not exist yet) through its `expires_on` day.
/// - `expired-approval` is about a bypass still on; an expired entry whose account has no bypass is a
///   `stale-allowlist-entry` (the detail says it also expired). `expiring-soon`, `review-overdue` and
///   `incomplete-approval` look at every entry, through the policy stage's `Allowlist.standing(of:on:)`: a review
///   is overdue when the as-of day is later than `last_reviewed_on` (else `approved_on`) + `review_interval_days`.
/// - Activity kinds (`unauthorized-actor`, `failed-attempt`, `audit-impairment`) look at the period up to as-of;
///   `coverage-gap` at its completed days (a day still in progress is not judged: logs arrive hours late).
/// - `indeterminate-change` covers unreadable records in the period, or after the newest snapshot (which would
///   settle them), and unreadable snapshot rows; `unexplained-bypass` and `snapshot-mismatch` come from snapshots
///   taken in the period and from the newest snapshot. A `snapshot-mismatch` where a snapshot says "not bypassed" of
///   an account the logs show bypassed disputes that bypass, so it takes the bypass finding's severity (the account
///   stays bypassed: absence or a contradiction never clears a logged bypass).
/// - Ids: `<kind>:<account key>` for account facts, `<kind>:<entry id>` for register facts,
///   `unauthorized-actor:<event id>`, `indeterminate-change:<event id>`, `coverage-gap:<day>[..<day>]`,
///   `coverage-gap:lost:<content type>:<start>..<end>` (a span `collect` could no longer fetch),
///   `audit-impairment:<signal>[:<target>]`, `ambiguous-identity:name:|account:|entry:…`.
/// - Findings are sorted most severe first, then by id. Controls: see `ControlEvaluator`.
public enum DriftAnalyzer {
    /// The result, its findings citing the alerts of the changes they name from `inputs.alerts.references` (a
    /// caller that holds every alert of the period: a report, tests).
    public static func analyze(_ inputs: DriftInputs) -> DriftResult {
        judge(inputs).citing(inputs.alerts.references)
    }

    /// The result, its findings citing the alerts of the changes they name from `alerts`, every alert of the period
    /// whole (a report, which holds them; `inputs.alerts` then need not hold references to them).
    public static func analyze(_ inputs: DriftInputs, citing alerts: [Alert]) -> DriftResult {
        judge(inputs).citing(alerts)
    }

    /// The result with the alerts of the changes its findings name still to be cited: a drift run reads just those
    /// alerts (`UncitedDriftResult.citedEventIDs`, a few thousand at scale) rather than a month of them.
    ///
    /// FP-5 walks every change of the period (200,000 at scale) and yields one control: it is judged on a second
    /// thread beside the finding families. `activityOnBothThreads`: the activity findings, which walk every change
    /// again, are judged half there too. Findings made on another thread keep that thread's allocator arena, with
    /// the garbage around them, for as long as they live: a caller that keeps them while it does more (a report,
    /// which renders them) leaves them all to the calling thread.
    public static func judge(_ inputs: DriftInputs, activityOnBothThreads: Bool = false) -> UncitedDriftResult {
        let context = DriftContext(inputs)
        let activity = ActivityFindings(context: context)
        let secondActivity = ActivityFindings(context: context.withOwnActorMemo)
        let accounts = context.inventory.accounts.indices
        let split = activityOnBothThreads ? accounts.lowerBound + accounts.count / 2 : accounts.upperBound
        typealias AccountActivity = (findings: [Finding], reported: Set<String>)
        // The register findings (few, and small) go to the thread with less to do: the second when it judges FP-5
        // alone (a report: the two then end nearer together, and the report's peak RSS was 2.5 MB lower), the first
        // when it judges half the activity too (drift: on the second, its peak RSS was 5 MB higher).
        let registerOnSecond = !activityOnBothThreads
        let (onThisThread, onSecond) = Concurrently.both(
            { () -> (approval: [Finding], register: [Finding], activity: AccountActivity, rest: [Finding]) in
                let approval = ApprovalFindings(context: context).findings()
                let register = registerOnSecond ? [] : RegisterFindings(context: context).findings()
                let bypassSeverity = ReconciliationFindings.severityByAccount(of: approval)
                var rest = ImpairmentFindings(context: context).findings()
                rest += ReconciliationFindings(context: context, bypassSeverity: bypassSeverity).findings()
                rest += CoverageFindings(context: context).findings()
                return (approval, register, activity.accountFindings(accounts.lowerBound..<split), rest)
            },
            { () -> (register: [Finding], activity: AccountActivity, control: Control) in
                (
                    registerOnSecond ? RegisterFindings(context: context).findings() : [],
                    secondActivity.accountFindings(split..<accounts.upperBound),
                    NewBypassAlertControl(context: context).control()
                )
            })
        // In the order the families always had.
        var findings = onThisThread.approval + onThisThread.register + onSecond.register
        findings += onThisThread.activity.findings + onSecond.activity.findings
        findings += activity.otherFindings(
            reportedByAccounts: onThisThread.activity.reported.union(onSecond.activity.reported))
        findings += onThisThread.rest
        findings.sort(by: Finding.reportOrder)
        let controls = ControlEvaluator(context: context, findings: findings, newBypassAlerts: onSecond.control).controls()
        return UncitedDriftResult(
            result: DriftResult(
                tenant: inputs.tenant, asOf: inputs.asOf, period: inputs.period, findings: findings, controls: controls),
            window: context.window)
    }
}
