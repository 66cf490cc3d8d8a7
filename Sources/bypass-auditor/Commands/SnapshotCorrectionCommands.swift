import ArgumentParser
import BypassAuditor
import Foundation

/// `snapshot remove ID --reason TEXT`: a snapshot imported by mistake (wrong file, wrong tenant) is deleted; the
/// removal is logged and chained.
struct SnapshotRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove an imported snapshot (logged with who, when and why, and chained for `verify`).",
        discussion: Examples.after(
            """
            The snapshot and its rows leave the inventory and drift; the history hash chain keeps what they said, \
            and the removal is an entry of its own, so `verify` still passes and fails if the log row is deleted. \
            Importing the same file again is possible afterwards.
            """, Examples.snapshotRemove))

    @OptionGroup var outputOptions: OutputOptions
    @Argument(help: "The snapshot id (from `snapshot list`).")
    var id: Int64

    @OptionGroup var options: SnapshotCorrectionOptions

    func validate() throws { try options.validate() }

    func run() throws {
        let correction = try SnapshotCorrector.remove(
            snapshotID: id, reason: options.reason, by: options.who, in: try options.database.open())
        try options.print(correction)
    }
}

/// `snapshot redate ID --taken-at INSTANT --reason TEXT`: a snapshot imported with the wrong taking time gets the
/// right one; the change is logged and chained.
struct SnapshotRedateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redate",
        abstract: "Give an imported snapshot its right taking time (logged with who, when and why, and chained).",
        discussion: Examples.after(
            """
            The inventory and drift compare the snapshot with the logs at the new time from now on. A bare date \
            means the end of that UTC day.
            """, Examples.snapshotRedate))

    @OptionGroup var outputOptions: OutputOptions
    @Argument(help: "The snapshot id (from `snapshot list`).")
    var id: Int64

    @Option(name: .customLong("taken-at"), help: "When the export was really taken (UTC; a date means the end of that day).")
    var takenAt: Moment

    @OptionGroup var options: SnapshotCorrectionOptions

    func validate() throws { try options.validate() }

    func run() throws {
        let now = Date()
        // A bare date of today means "today, now", as on import: the end of a day that has not ended is the future.
        let instant = takenAt.day.map { $0.start <= now && takenAt.date > now } == true ? now : takenAt.date
        let correction = try SnapshotCorrector.redate(
            snapshotID: id, takenAt: instant, reason: options.reason, by: options.who,
            in: try options.database.open(), now: now)
        try options.print(correction)
    }
}

/// What both corrections take: the database, why, who, and the output format.
struct SnapshotCorrectionOptions: ParsableArguments {
    @Option(name: .long, help: "Why the snapshot is corrected (logged; required).")
    var reason: String

    @Option(name: .long, help: "Who corrects it, for the log (default: the login name).")
    var by: String?

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "Print the logged correction as JSON.")
    var json = false

    func validate() throws {
        if reason.whitespaceTrimmed.isEmpty { throw ValidationError("--reason must say why the snapshot is corrected") }
        if let by, by.whitespaceTrimmed.isEmpty { throw ValidationError("--by must name someone") }
    }

    var who: String { by?.whitespaceTrimmed ?? LoginName.current() }

    func print(_ correction: SnapshotCorrection) throws {
        if json {
            try Console.json(correction)
        } else {
            Console.out(SnapshotCorrectionText.describe(correction))
        }
    }
}
