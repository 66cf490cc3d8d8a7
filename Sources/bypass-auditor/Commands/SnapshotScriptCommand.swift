import ArgumentParser
import BypassAuditor
import Foundation

/// `snapshot script`.
struct SnapshotScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "script",
        abstract: "Print the PowerShell that writes a complete export (-ResultSize Unlimited, UTC time and tenant in the name).",
        discussion: Examples.snapshotScript)

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        FileHandle.standardOutput.write(Data(SnapshotExportScript.text.utf8))
    }
}
