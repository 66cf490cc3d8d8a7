import Store
import Foundation
import GRDB

/// The check `report` and `drift` make before they conclude anything: a chain that does not verify means stored
/// rows may have been deleted or edited (a deleted bypass event silently removes its critical finding), so they stop
/// unless the caller explicitly accepts unverified evidence — and then say so where the reader looks first.
///
/// The chain holds when it verifies in full now, or when a full verification still stands because the write guard
/// stayed intact since (`WriteGuard`, `VerificationCheckpoint`): at 400,000 entries the full one costs seconds, the
/// standing check a few reads of the schema.
public enum IntegrityGate {
    /// The chain does not verify and unverified evidence was not accepted.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var report: IntegrityReport

        public var description: String {
            let first = report.problems.first.map { "; first: \($0)" } ?? ""
            return "the history hash chain does not verify (\(report.problems.count) problem(s)\(first)); "
                + "run `bypass-auditor verify` to see them all, or pass --allow-unverified to report anyway (the report "
                + "then says so on its first screen)"
        }
    }

    /// How the chain was found to hold.
    public enum Assurance: Sendable, Hashable {
        /// Verified in full by this run (and recorded as the new checkpoint when the file can be written).
        case verifiedNow(throughSeq: Int64)
        /// A full verification through `throughSeq` still stands: the write guard stayed intact since, so no row
        /// can have changed outside the tool (`VerificationCheckpoint`).
        case checkpointStands(VerificationCheckpoint)
    }

    /// What the gate concluded.
    public struct Outcome: Sendable {
        /// The chain's problems (empty when it verifies); non-empty only when unverified evidence was accepted.
        public var problems: [String]
        /// How the chain was found to hold; nil when it does not.
        public var assurance: Assurance?
    }

    /// Verifies the chain, in full unless a full verification still stands (`VerificationCheckpoint`); a full one
    /// that passes is recorded when the file can be written, so the next run need not repeat it. Returns the
    /// problems (empty when it verifies) when `allowUnverified`; throws `Refusal` otherwise when there are any.
    public static func check(_ store: AuditDatabase, allowUnverified: Bool) throws -> Outcome {
        if let standing = try store.read({ db in try VerificationCheckpoint.standing(db) }) {
            return Outcome(problems: [], assurance: .checkpointStands(standing))
        }
        let report = try store.read { db in try ChainVerifier.verify(db, scope: .readPath) }
        if report.ok {
            if !store.isReadOnly {
                try store.write { db in
                    try VerificationCheckpoint.record(db, throughSeq: report.headSeq, head: report.head, at: Date())
                }
            }
            return Outcome(problems: [], assurance: .verifiedNow(throughSeq: report.headSeq))
        }
        if !allowUnverified { throw Refusal(report: report) }
        return Outcome(
            problems: report.problems.isEmpty ? ["the chain does not verify"] : report.problems.map(\.description),
            assurance: nil)
    }
}
