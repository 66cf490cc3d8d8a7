import Store
import Foundation
import GRDB

/// The check `report` and `drift` make before they conclude anything: a chain that does not verify means stored
/// rows may have been deleted or edited (a deleted bypass event silently removes its critical finding), so they stop
/// unless the caller explicitly accepts unverified evidence — and then say so where the reader looks first.
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

    /// Verifies the chain. Returns the problems (empty when it verifies) when `allowUnverified`; throws `Refusal`
    /// otherwise when there are any.
    public static func check(_ store: AuditDatabase, allowUnverified: Bool) throws -> [String] {
        let report = try store.read { db in try ChainVerifier.verify(db, scope: .readPath) }
        if report.ok { return [] }
        if !allowUnverified { throw Refusal(report: report) }
        return report.problems.isEmpty ? ["the chain does not verify"] : report.problems.map(\.description)
    }
}
