import ArgumentParser
import BypassAuditor

/// `--allow-unverified` for the commands that conclude from stored history (`report`, `drift`): they verify the hash
/// chain first and stop with exit status 4 when it does not verify, unless this flag accepts unverified evidence.
struct IntegrityGateOption: ParsableArguments {
    @Flag(
        name: .customLong("allow-unverified"),
        help: "Run even when the history hash chain does not verify; the output then says so first.")
    var allowUnverified = false

    /// The chain's problems (empty when it verifies); exit status 4 when it does not and the flag is absent.
    func check(_ store: AuditDatabase) throws -> [String] {
        do {
            let problems = try IntegrityGate.check(store, allowUnverified: allowUnverified).problems
            for problem in problems.prefix(1) {
                Console.err("warning: UNVERIFIED EVIDENCE: the history hash chain does not verify: \(DisplayText.visible(problem))")
            }
            return problems
        } catch let refusal as IntegrityGate.Refusal {
            Console.err("error: \(DisplayText.visible(refusal.description))")
            throw ExitStatus.integrityFailure
        }
    }
}
