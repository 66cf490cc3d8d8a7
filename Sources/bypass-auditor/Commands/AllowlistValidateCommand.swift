import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist validate`: every problem with file, line and column; status 1 when the register is invalid.
struct AllowlistValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the register; exit 1 on errors (drift and report refuse an invalid register), 0 with warnings.",
        discussion: Examples.allowlistValidate)

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var file: AllowlistFileOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let result = try file.load()
        let entries = result.allowlist?.entries.count
        if json {
            try Console.json(AllowlistValidation(result))
        } else {
            for issue in result.issues { Console.out(TerminalText.safe(issue.description, keepingLineBreaks: true)) }
            let counts = "\(result.errors.count) error(s), \(result.warnings.count) warning(s)"
            if result.isValid {
                Console.out("\(result.path): valid, \(entries ?? 0) entries, \(counts)")
            } else {
                Console.out("\(result.path): INVALID, \(counts)")
            }
        }
        if !result.isValid { throw ExitStatus.failure }
    }
}
