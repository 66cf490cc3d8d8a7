import ArgumentParser
import BypassAuditor
import Foundation

/// `allowlist renew ID`: records a review, and optionally a new expiry.
struct AllowlistRenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew", abstract: "Record a review of an entry (and optionally a new expiry).")

    @Argument(help: "The entry id.")
    var id: String

    @OptionGroup var file: AllowlistFileOptions
    @OptionGroup var edit: AllowlistEditOptions

    @Option(name: .long, help: "The day of the review (YYYY-MM-DD, not in the future).")
    var reviewedOn: String
    @Option(name: .long, help: "A new last day of validity (YYYY-MM-DD, after the review).")
    var expiresOn: String?
    @Option(name: .long, help: "What the review concluded, for the edit log.")
    var reason: String?

    func run() throws {
        let reviewed = try AllowlistArguments.requiredDay(reviewedOn, option: "--reviewed-on")
        let expires = try AllowlistArguments.day(expiresOn, option: "--expires-on")
        try edit.perform(path: file.allowlist) { editor in
            try editor.renew(id: id, reviewedOn: reviewed, expiresOn: expires, reason: reason)
        }
    }
}
