import ArgumentParser
import BypassAuditor
import Foundation

/// `init [DIR]`: a new project: configuration, register skeleton, rules and reports folders, and the database.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a project: bypass-auditor.toml, a commented register, the rules and reports folders, the database.",
        discussion: """
            Files that already exist are kept as they are. Put the detection rules (Elastic TOML) in Policies/rules.

            EXAMPLES:
              bypass-auditor init                 # in the current folder
              bypass-auditor init ~/audit/contoso
              cd ~/audit/contoso && bypass-auditor allowlist validate
            """)

    @OptionGroup var outputOptions: OutputOptions
    @Argument(help: "The project folder (created when absent).", completion: .directory)
    var directory: String = "."

    func run() throws {
        let folder = URL(fileURLWithPath: ProjectConfiguration.absolute(
            directory, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)))
        let outcome = try ProjectSkeleton.create(in: folder)
        for path in outcome.created { Console.out("created \(path)") }
        for path in outcome.kept { Console.out("kept    \(path) (exists)") }
        let configuration = try ProjectConfiguration.discover(from: folder, environment: [:])
        let existed = !AuditDatabase.wouldCreate(path: configuration.database)
        _ = try AuditDatabase.open(path: configuration.database, .createIfAbsent)
        Console.out("\(existed ? "kept   " : "created") \(configuration.database)\(existed ? " (exists)" : "")")
        Console.out("")
        Console.out("Next: put detection rules in \(configuration.rules), then `bypass-auditor ingest LOGS` from \(folder.path).")
    }
}
