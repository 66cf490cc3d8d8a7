import Core
import Foundation
import Yams

/// Walks the YAML node tree of a register, building the model and collecting every problem on the way
/// (one bad entry never hides the problems of the next).
struct AllowlistNodeReader {
    let file: String
    private(set) var issues: [AllowlistIssue] = []

    init(file: String) {
        self.file = file
    }

    // MARK: - Reporting

    mutating func error(_ message: String, at node: Node?, entry: String? = nil) {
        issues.append(AllowlistIssue(file: file, position: node?.sourcePosition, severity: .error, message: message, entryID: entry))
    }

    mutating func warning(_ message: String, at node: Node?, entry: String? = nil) {
        issues.append(AllowlistIssue(file: file, position: node?.sourcePosition, severity: .warning, message: message, entryID: entry))
    }

    /// Turns a Yams parse failure into one located error.
    mutating func report(yamlError error: Error, in content: String) {
        guard let yamlError = error as? YamlError else {
            issues.append(AllowlistIssue(file: file, position: nil, severity: .error, message: "not valid YAML: \(error)"))
            return
        }
        func position(_ mark: Mark) -> SourcePosition { SourcePosition(line: mark.line, column: mark.column) }
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at \(context.mark.line):\(context.mark.column))"
        }
        let issue: AllowlistIssue
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            issue = AllowlistIssue(
                file: file, position: position(mark), severity: .error, message: "not valid YAML: \(describe(context, problem))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            issue = AllowlistIssue(
                file: file, position: position(context.mark), severity: .error,
                message: "not valid YAML: key \(keys) appears more than once in the same mapping")
        case .reader(let problem, let offset, _, _):
            issue = AllowlistIssue(
                file: file, position: offset.map { Self.position(ofCharacterOffset: $0, in: content) }, severity: .error,
                message: "not valid YAML: \(problem)")
        default:
            issue = AllowlistIssue(file: file, position: nil, severity: .error, message: "not valid YAML: \(yamlError)")
        }
        issues.append(issue)
    }

    private static func position(ofCharacterOffset offset: Int, in content: String) -> SourcePosition {
        var line = 1
        var column = 1
        for character in content.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourcePosition(line: line, column: column)
    }

    // MARK: - The register

    mutating func read(root: Node?) -> (Allowlist, AllowlistSyntax) {
        var allowlist = Allowlist()
        var syntax = AllowlistSyntax(entriesField: nil, entries: [])
        guard let root else {
            issues.append(
                AllowlistIssue(
                    file: file, position: SourcePosition(line: 1, column: 1), severity: .error,
                    message: "the register is empty: expected 'version: 1' and 'entries:'"))
            return (allowlist, syntax)
        }
        guard let pairs = mappingPairs(root, what: "the register", example: "version: 1") else {
            return (allowlist, syntax)
        }
        var sawVersion = false
        for (key, field) in pairs {
            switch key {
            case AllowlistKeys.version:
                sawVersion = true
                if let version = integer(field.value, key: key) {
                    if version != AllowlistKeys.supportedVersion {
                        error("version \(version) is not supported (this tool reads version \(AllowlistKeys.supportedVersion))", at: field.value)
                    }
                    allowlist.version = version
                }
            case AllowlistKeys.reviewIntervalDays:
                if let days = integer(field.value, key: key) {
                    if days < 1 { error("\(key) must be at least 1 day (it is \(days))", at: field.value) }
                    allowlist.reviewIntervalDays = days
                }
            case AllowlistKeys.expiryWarningDays:
                if let days = integer(field.value, key: key) {
                    if days < 0 { error("\(key) must not be negative (it is \(days))", at: field.value) }
                    allowlist.expiryWarningDays = days
                }
            case AllowlistKeys.authorizedAdmins:
                allowlist.authorizedAdmins = textList(field.value, key: key, example: "[exo-admin@contoso.com]").map(\.text)
            case AllowlistKeys.entries:
                syntax.entriesField = field
                (allowlist.entries, syntax.entries) = readEntries(field.value)
            default:
                unknownKey(key, at: field.key, among: AllowlistKeys.topLevel, entry: nil)
            }
        }
        if !sawVersion {
            error("missing 'version: \(AllowlistKeys.supportedVersion)' (the register format this file is written in)", at: root)
        }
        checkAcrossEntries(allowlist.entries, syntax.entries)
        return (allowlist, syntax)
    }

    // MARK: - Entries

    private mutating func readEntries(_ node: Node) -> ([AllowlistEntry], [AllowlistSyntax.Entry]) {
        if node.isNullScalar { return ([], []) }
        guard case .sequence(let sequence) = node else {
            error("entries must be a list of entries, each starting with '- id: …'", at: node)
            return ([], [])
        }
        var entries: [AllowlistEntry] = []
        var syntaxes: [AllowlistSyntax.Entry] = []
        for item in sequence {
            let (entry, syntax) = readEntry(item)
            syntaxes.append(syntax)
            if let entry { entries.append(entry) }
        }
        return (entries, syntaxes)
    }

    private mutating func readEntry(_ node: Node) -> (AllowlistEntry?, AllowlistSyntax.Entry) {
        var syntax = AllowlistSyntax.Entry(node: node, id: nil, fields: [:])
        guard let pairs = mappingPairs(node, what: "an entry", example: "id: AB-0001") else { return (nil, syntax) }
        for (key, field) in pairs { syntax.fields[key] = field }
        let idText = syntax.fields[AllowlistKeys.id].flatMap { requiredText($0.value, key: AllowlistKeys.id, entry: nil) }
        syntax.id = idText
        let label = idText ?? "at line \(node.mark?.line ?? 0)"
        if syntax.fields[AllowlistKeys.id] == nil { error("entry has no id (add 'id: AB-…', unique and stable)", at: node) }

        var entry = AllowlistEntry(id: idText ?? "", account: "", position: node.sourcePosition)
        var complete = idText != nil
        // Fields already reported as wrong are not reported again as missing.
        var wrongFields: Set<String> = []
        for (key, field) in pairs {
            let value = field.value
            let errorsBefore = issues.count
            defer { if issues.count > errorsBefore { wrongFields.insert(key) } }
            switch key {
            case AllowlistKeys.id:
                break
            case AllowlistKeys.account:
                if let account = requiredText(value, key: key, entry: idText) { entry.account = account } else { complete = false }
            case AllowlistKeys.aliases:
                entry.aliases = textList(value, key: key, example: "[svc-backup, 7f9c2e4a-…]", entry: idText).map(\.text)
            case AllowlistKeys.category:
                guard let text = optionalText(value, key: key, entry: idText) else { break }
                if let category = ExceptionCategory(rawValue: text.whitespaceTrimmed) {
                    entry.category = category
                } else if !text.whitespaceTrimmed.isEmpty {
                    let known = ExceptionCategory.allCases.map(\.rawValue)
                    let hint = Suggestion.closest(to: text, among: known).map { "; did you mean '\($0)'?" }
                        ?? " (one of: \(known.joined(separator: ", ")))"
                    error("unknown category '\(text)'\(hint)", at: value, entry: idText)
                }
            case AllowlistKeys.tool: entry.tool = optionalText(value, key: key, entry: idText)
            case AllowlistKeys.legalBasis: entry.legalBasis = optionalText(value, key: key, entry: idText)
            case AllowlistKeys.owner: entry.owner = optionalText(value, key: key, entry: idText)
            case AllowlistKeys.justification: entry.justification = optionalText(value, key: key, entry: idText)
            case AllowlistKeys.approvedBy: entry.approvedBy = optionalText(value, key: key, entry: idText)
            case AllowlistKeys.ticket: entry.ticket = optionalText(value, key: key, entry: idText)
            case AllowlistKeys.approvedOn: entry.approvedOn = date(value, key: key, entry: idText)
            case AllowlistKeys.lastReviewedOn: entry.lastReviewedOn = date(value, key: key, entry: idText)
            case AllowlistKeys.expiresOn: entry.expiresOn = date(value, key: key, entry: idText)
            default:
                unknownKey(key, at: field.key, among: AllowlistKeys.entry, entry: idText)
            }
        }
        if syntax.fields[AllowlistKeys.account] == nil {
            error("entry \(label) has no account (the name the bypass is set on)", at: node, entry: idText)
            complete = false
        }
        if let approved = entry.approvedOn, let expires = entry.expiresOn, expires <= approved {
            error(
                "expires_on \(expires) is not after approved_on \(approved)",
                at: syntax.fields[AllowlistKeys.expiresOn]?.value, entry: idText)
        }
        if let approved = entry.approvedOn, let reviewed = entry.lastReviewedOn, reviewed < approved {
            warning(
                "last_reviewed_on \(reviewed) is before approved_on \(approved)",
                at: syntax.fields[AllowlistKeys.lastReviewedOn]?.value, entry: idText)
        }
        for missing in entry.missingRequiredFields where !wrongFields.contains(missing) {
            let why = Self.reasonRequired(missing, category: entry.category)
            if let field = syntax.fields[missing] {
                warning("entry \(label): \(missing) is empty (\(why))", at: field.value, entry: idText)
            } else {
                warning("entry \(label): \(missing) is missing (\(why))", at: node, entry: idText)
            }
        }
        return (complete ? entry : nil, syntax)
    }

    static func reasonRequired(_ field: String, category: ExceptionCategory?) -> String {
        switch field {
        case AllowlistKeys.tool: "required for \(ExceptionCategory.thirdPartyTool.rawValue): the product that uses the account"
        case AllowlistKeys.legalBasis: "required for \(ExceptionCategory.lawfulMonitoring.rawValue): the authority — case, warrant or policy reference"
        case AllowlistKeys.category: "required: \(ExceptionCategory.allCases.map(\.rawValue).joined(separator: " or "))"
        default: "required for every written exception"
        }
    }

    /// Checks that need every entry: unique ids, and each name approved by one entry only.
    private mutating func checkAcrossEntries(_ entries: [AllowlistEntry], _ syntaxes: [AllowlistSyntax.Entry]) {
        var firstID: [String: Node] = [:]
        var owners: [AccountName: (entry: String, node: Node)] = [:]
        for syntax in syntaxes {
            guard let id = syntax.id, let idNode = syntax.fields[AllowlistKeys.id]?.value else { continue }
            let key = AllowlistIDs.key(id)
            if let first = firstID[key] {
                error("duplicate id '\(id)' (already used at line \(first.mark?.line ?? 0))", at: idNode, entry: id)
                continue
            }
            firstID[key] = idNode
            var namesHere: [AccountName: Node] = [:]
            for node in nameNodes(of: syntax) {
                guard let text = node.string else { continue }
                let name = AccountName(text)
                guard !name.key.isEmpty else { continue }
                if let owner = owners[name] {
                    error(
                        "'\(text)' is already listed in entry \(owner.entry) (line \(owner.node.mark?.line ?? 0)); "
                            + "a name may appear in one entry only", at: node, entry: id)
                } else if let earlier = namesHere[name] {
                    warning("'\(text)' is listed twice in entry \(id) (first at line \(earlier.mark?.line ?? 0))", at: node, entry: id)
                } else {
                    namesHere[name] = node
                }
            }
            for (name, node) in namesHere { owners[name] = (id, node) }
        }
    }

    /// The account and alias scalars of an entry, in file order.
    private func nameNodes(of syntax: AllowlistSyntax.Entry) -> [Node] {
        var nodes: [Node] = []
        if let account = syntax.fields[AllowlistKeys.account]?.value, case .scalar = account { nodes.append(account) }
        if case .sequence(let aliases)? = syntax.fields[AllowlistKeys.aliases]?.value {
            nodes += aliases.filter { if case .scalar = $0 { true } else { false } }
        }
        return nodes
    }

    // MARK: - Values

    /// The mapping's pairs keyed by text, reporting non-text keys; nil (with an error) when `node` is no mapping.
    private mutating func mappingPairs(_ node: Node, what: String, example: String) -> [(String, AllowlistSyntax.Field)]? {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping of keys (e.g. '\(example)')", at: node)
            return nil
        }
        var pairs: [(String, AllowlistSyntax.Field)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error("a key must be a plain name", at: key)
                continue
            }
            pairs.append((scalar.string, AllowlistSyntax.Field(key: key, value: value)))
        }
        return pairs
    }

    private mutating func unknownKey(_ key: String, at node: Node, among known: [String], entry: String?) {
        let hint = Suggestion.closest(to: key, among: known).map { "; did you mean '\($0)'?" } ?? " (known keys: \(known.joined(separator: ", ")))"
        error("unknown key '\(key)'\(hint)", at: node, entry: entry)
    }

    private mutating func integer(_ node: Node, key: String) -> Int? {
        if case .scalar(let scalar) = node, scalar.style == .plain, Resolver.default.resolveTag(of: node) == .int,
            let value = Int(scalar.string)
        {
            return value
        }
        error("\(key) must be a whole number, not \(Self.describe(node))", at: node)
        return nil
    }

    /// Text of a scalar; nil for a null scalar (`key:` with nothing, `~`); an error for lists and mappings.
    private mutating func optionalText(_ node: Node, key: String, entry: String?) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(key) must be text, not \(Self.describe(node))", at: node, entry: entry)
            return nil
        }
        return node.isNullScalar ? nil : scalar.string
    }

    /// Text that must be present and not blank (ids, accounts).
    private mutating func requiredText(_ node: Node, key: String, entry: String?) -> String? {
        guard case .scalar = node else {
            error("\(key) must be text, not \(Self.describe(node))", at: node, entry: entry)
            return nil
        }
        guard let text = optionalText(node, key: key, entry: entry), !text.isBlank else {
            error("\(key) is empty", at: node, entry: entry)
            return nil
        }
        return text.whitespaceTrimmed
    }

    /// A list of non-empty texts, with each item's node; null means an empty list.
    private mutating func textList(_ node: Node, key: String, example: String, entry: String? = nil) -> [(text: String, node: Node)] {
        if node.isNullScalar { return [] }
        guard case .sequence(let sequence) = node else {
            error("\(key) must be a list, e.g. \(example)", at: node, entry: entry)
            return []
        }
        var items: [(String, Node)] = []
        for item in sequence {
            guard case .scalar = item else {
                error("each item of \(key) must be text, not \(Self.describe(item))", at: item, entry: entry)
                continue
            }
            guard let text = item.string?.whitespaceTrimmed, !text.isEmpty, !item.isNullScalar else {
                error("\(key) has an empty item", at: item, entry: entry)
                continue
            }
            items.append((text, item))
        }
        return items
    }

    /// A `YYYY-MM-DD` day; nil for null (the field is then missing), an error for anything else.
    private mutating func date(_ node: Node, key: String, entry: String?) -> UTCDay? {
        guard let text = optionalText(node, key: key, entry: entry) else { return nil }
        let trimmed = text.whitespaceTrimmed
        if trimmed.isEmpty { return nil }
        guard let day = UTCDay(trimmed) else {
            error("\(key) '\(text)' is not a real date in YYYY-MM-DD form", at: node, entry: entry)
            return nil
        }
        return day
    }

    private static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): "'\(scalar.string)'"
        }
    }
}
