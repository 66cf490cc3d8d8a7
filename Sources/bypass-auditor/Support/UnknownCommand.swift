import ArgumentParser

/// A command name that does not exist (`bypass-auditor reprt`, `bypass-auditor help nosuch`), found before parsing
/// so the user gets "did you mean" and a non-zero exit instead of the top-level usage.
enum UnknownCommand {
    /// The message for the first unknown command name in `arguments`, nil when every name is known.
    static func find(in arguments: [String], root: ParsableCommand.Type) -> String? {
        var names = arguments.prefix { !$0.hasPrefix("-") }
        var command = root
        var path = [root.configuration.commandName ?? "bypass-auditor"]
        if names.first == "help" { names = names.dropFirst() }
        for name in names {
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { return nil }
            guard let next = subcommands.first(where: { $0.configuration.commandName == name }) else {
                // A default subcommand takes the word as its argument (`inventory show` is explicit; `inventory x` is
                // the list command's business).
                if command.configuration.defaultSubcommand != nil { return nil }
                let known = subcommands.compactMap { $0.configuration.commandName }
                let closest = known.min { distance(name, $0) < distance(name, $1) }
                let hint = closest.flatMap { distance(name, $0) <= max(2, $0.count / 2) ? " Did you mean '\($0)'?" : nil }
                return "unknown command '\(path.joined(separator: " ")) \(name)'.\(hint ?? "") Commands: "
                    + known.joined(separator: ", ") + " (see `\(path.joined(separator: " ")) --help`)"
            }
            command = next
            path.append(name)
        }
        return nil
    }

    /// Levenshtein distance: how many single-character edits turn `a` into `b`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
