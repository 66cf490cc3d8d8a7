/// Why an edit of the register was refused; the file is untouched whenever one of these is thrown.
public enum AllowlistEditError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The register cannot be read (not YAML, not UTF-8, or larger than the loader reads), so its entries cannot be
    /// located.
    case registerUnparseable(path: String, issues: [AllowlistIssue])
    /// No entry has the id; `closest` are the register's ids nearest to it by edit distance.
    case entryNotFound(id: String, path: String, closest: [String])
    case entryExists(id: String, path: String)
    /// The id belonged to an entry that was removed: ids are never reused, so histories never mix.
    case idUsedBefore(id: String, path: String)
    /// The text is laid out in a way the splicing editor does not rewrite (e.g. flow-style entries).
    case unsupportedLayout(path: String, reason: String)
    /// The register after the edit would have these errors.
    case wouldBeInvalid(path: String, issues: [AllowlistIssue])
    /// The new entry lacks fields its category requires (allowed only when asked for explicitly), or has warnings.
    case incompleteEntry(id: String, problems: [AllowlistEntryProblem])
    /// The new entry's values would make the register invalid; `elsewhere` are errors the register has already.
    case invalidEntry(id: String, problems: [AllowlistEntryProblem], elsewhere: [AllowlistIssue])
    /// The request itself makes no sense (a review in the future, an expiry before the review…).
    case invalidRequest(String)
    /// Someone else changed the file between reading and writing it.
    case changedWhileEditing(path: String)
    /// The written text did not read back as the requested entry (a safety net against quoting mistakes).
    case readBackMismatch(id: String, detail: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        func list(_ issues: [AllowlistIssue]) -> String { issues.map { "\n  \($0)" }.joined() }
        switch self {
        case .registerUnparseable(let path, let issues):
            return "\(path) cannot be read as a register (see below); fix it by hand before editing it with the tool:\(list(issues))"
        case .entryNotFound(let id, let path, let closest):
            let hint =
                closest.isEmpty
                ? "the register has no entries" : "the closest ids are \(closest.joined(separator: ", ")) (`allowlist list` shows all)"
            return "\(path): no entry with id '\(id)'; \(hint)"
        case .entryExists(let id, let path): return "\(path): an entry with id '\(id)' already exists"
        case .idUsedBefore(let id, let path):
            return "\(path): id '\(id)' was used by an entry before (see `allowlist show \(id)`); ids are never reused: "
                + "leave out --id to get the next unused one"
        case .unsupportedLayout(let path, let reason): return "\(path): cannot edit this register automatically: \(reason)"
        case .wouldBeInvalid(let path, let issues):
            return "refused: \(path) would not validate after this edit:\(list(issues))"
        case .incompleteEntry(let id, let problems):
            let width = problems.compactMap { $0.option?.count }.max() ?? 0
            let lines = problems.map { problem in
                let option = (problem.option ?? "").padding(toLength: width, withPad: " ", startingAt: 0)
                return "\n  \(option)  \(problem.message)"
            }
            return "refused: entry \(id) is incomplete, nothing was written; give\(lines.joined())\n"
                + "or pass --allow-incomplete to add it anyway"
        case .invalidEntry(let id, let problems, let elsewhere):
            let already = elsewhere.isEmpty ? "" : "\nthe register has these errors already (fix them first):\(list(elsewhere))"
            return "refused: entry \(id) cannot be added, nothing was written:"
                + problems.map { "\n  \($0)" }.joined() + already
        case .invalidRequest(let reason): return "refused: \(reason)"
        case .changedWhileEditing(let path): return "\(path) changed while it was being edited; nothing written, try again"
        case .readBackMismatch(let id, let detail):
            return "refused: entry \(id) would not read back as given (\(detail)); nothing written"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}
