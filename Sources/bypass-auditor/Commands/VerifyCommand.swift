import ArgumentParser
import BypassAuditor
import Foundation

/// `bypass-auditor verify`: recompute the history hash chain and check every chained row against it.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no bypass event, snapshot or register record was edited, inserted or deleted outside the tool.",
        discussion: Examples.after(
            """
            Recomputes the hash chain over every stored bypass change, snapshot row and register version/edit, and \
            compares each entry with its row. Whoever can edit the file could rebuild the chain, so reports publish \
            its head: --expect-head HASH checks that a later database still contains that head (entries appended \
            since are normal). Exit status 4 when anything does not verify. It also reports the write guard, the \
            triggers that stop other SQLite clients from writing chained tables: while it stands, drift and report \
            rest on the last full verification instead of repeating it. --json prints {"ok", "head", "head_seq", \
            "entries", "entries_by_kind", "cross_checked", "not_cross_checked", "expected_head", \
            "expected_head_seq", "entries_since_expected_head", "first_problem", "problems": [{"kind", "seq", \
            "entry_kind", "ref", "table", "detail"}], "write_guard": {"intact", "missing", "altered", \
            "checkpoint": {"verified_through_seq", "verified_head", "verified_at"} or null}}.
            """, Examples.verify)
    )

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("expect-head"), help: "A head hash published earlier (e.g. in a report).")
    var expectHead: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        if let expectHead, expectHead.count != 64 || !expectHead.allSatisfy(\.isHexDigit) {
            throw ValidationError("--expect-head must be a 64-digit hex SHA-256 hash")
        }
    }

    func run() throws {
        // Verifying evidence must not change it: no projection refresh here.
        let report = try ChainVerifier.verify(database.openReadOnly(), expectedHead: expectHead)
        if json {
            try Console.json(report)
        } else {
            Console.out(VerifyText.render(report))
        }
        if !report.ok { throw ExitStatus.integrityFailure }
    }
}

enum VerifyText {
    static func render(_ report: IntegrityReport) -> String {
        let kinds = report.entriesByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        var lines = [
            "Ledger: \(report.entries) entr\(report.entries == 1 ? "y" : "ies")"
                + (kinds.isEmpty ? "" : " (\(kinds.joined(separator: ", ")))"),
            "Head:   \(report.head)",
            "Checked against their rows: \(report.crossChecked.joined(separator: ", "))",
        ]
        for (kind, reason) in report.notCrossChecked.sorted(by: { $0.key < $1.key }) {
            lines.append("Not checked: \(kind) (\(reason))")
        }
        lines.append(WriteGuardText.render(report.writeGuard))
        if let expected = report.expectedHead, let seq = report.expectedHeadSeq {
            lines.append(
                "Expected head \(expected) is entry \(seq); \(report.entriesSinceExpectedHead ?? 0) entries appended since.")
        }
        lines.append("")
        if report.ok {
            lines.append("OK: the history verifies.")
        } else {
            lines.append(
                "FAILED: \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"). First: "
                    + TerminalText.safe(report.firstProblem?.description ?? "-"))
            for (index, problem) in report.problems.enumerated() {
                lines.append("  \(index + 1). [\(problem.kind.rawValue)] \(TerminalText.safe(problem.description))")
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The write guard line of `verify`'s text output.
enum WriteGuardText {
    static func render(_ guardReport: IntegrityReport.WriteGuardReport) -> String {
        guard guardReport.intact else {
            let touched = guardReport.missing.count + guardReport.altered.count
            return "Write guard: \(touched) trigger\(touched == 1 ? "" : "s") dropped or altered outside the tool "
                + "(\(guardReport.missing.count) missing, \(guardReport.altered.count) altered): drift and report verify "
                + "in full each run until one passes and puts the guard back."
        }
        guard let checkpoint = guardReport.checkpoint else {
            return "Write guard: intact. No full verification stands yet: the next drift or report makes one."
        }
        return "Write guard: intact. Drift and report rest on the full verification through entry "
            + "\(checkpoint.verifiedThroughSeq) made \(UTCTimestamp.format(checkpoint.verifiedAt))."
    }
}
