import Core
import Foundation
import TOMLKit

/// Reads one Elastic detection-rules TOML file into a `DetectionRule`, checking every key the tool uses and keeping
/// the rest. Errors name the file, the dotted key and why; the first error stops that file only.
struct RuleFileParser {
    /// How the file is named in messages and in the rule set (relative to the rules directory).
    let displayName: String
    let text: String
    let digest: String

    /// The `[bypass_auditor]` table: this tool's own keys, ignored by Elastic.
    static let extensionTable = "bypass_auditor"

    func parse() throws(RuleLoadError) -> DetectionRule {
        let root: [String: RuleAttribute]
        do {
            root = RuleFileParser.convert(try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            throw RuleLoadError(
                file: displayName, line: error.source.begin.line, column: error.source.begin.column,
                reason: "not valid TOML: \(error.description)")
        } catch {
            throw RuleLoadError(file: displayName, reason: "not valid TOML: \(error)")
        }
        guard let ruleTable = root["rule"] else { throw fail("rule", "the [rule] table is missing") }
        guard case .table(let ruleEntries) = ruleTable else { throw fail("rule", "must be a table") }
        var rule = KeyReader(table: ruleEntries, prefix: "rule", file: displayName)
        var metadata = KeyReader(table: try optionalTable(root, "metadata"), prefix: "metadata", file: displayName)
        var toolKeys = KeyReader(
            table: try optionalTable(root, Self.extensionTable), prefix: Self.extensionTable, file: displayName)

        let ruleID = try rule.requiredString("rule_id")
        let name = try rule.requiredString("name")
        let description = try rule.requiredString("description")
        let type = try rule.requiredString("type")
        guard type == "query" else {
            throw fail("rule.type", "only query rules are supported, not \"\(type)\"")
        }
        let language = try rule.optionalString("language") ?? "kuery"
        guard language == "kuery" else {
            throw fail("rule.language", "only KQL (\"kuery\") queries are supported, not \"\(language)\"")
        }
        let queryText = try rule.requiredString("query")
        let query: KQLQuery
        do {
            query = try KQLQuery(queryText)
        } catch {
            throw queryError(error, queryText: queryText)
        }
        let riskScore = try rule.requiredInteger("risk_score")
        guard (0...100).contains(riskScore) else {
            throw fail("rule.risk_score", "must be between 0 and 100, found \(riskScore)")
        }
        let severityText = try rule.requiredString("severity")
        guard let severity = Severity(rawValue: severityText), severity != .info else {
            throw fail("rule.severity", "must be low, medium, high or critical, found \"\(severityText)\"")
        }
        var interval = DetectionRule.defaultInterval
        if let text = try rule.optionalString("interval") {
            guard let parsed = RuleDuration(text), parsed.seconds > 0 else {
                throw fail("rule.interval", "must be a duration such as \"5m\", found \"\(text)\"")
            }
            interval = parsed
        }
        var lookBack = DetectionRule.defaultLookBack
        if let text = try rule.optionalString("from") {
            guard let parsed = DateMath(text), let span = parsed.lookBack, span > 0 else {
                throw fail("rule.from", "must be date math before now such as \"now-6m\", found \"\(text)\"")
            }
            lookBack = parsed
        }
        let maxSignals = try rule.optionalInteger("max_signals") ?? DetectionRule.defaultMaxSignals
        guard maxSignals >= 1 else { throw fail("rule.max_signals", "must be at least 1, found \(maxSignals)") }
        let timestampOverride = try rule.optionalString("timestamp_override")
        if timestampOverride?.isEmpty == true { throw fail("rule.timestamp_override", "must name a field") }
        let fallbackDisabled = try rule.optionalBool("timestamp_override_fallback_disabled") ?? false
        let version = try rule.optionalInteger("version")

        let signal: DetectionSignal
        let signalInferred: Bool
        if let text = try toolKeys.optionalString("signal") {
            guard let parsed = DetectionSignal(rawValue: text) else {
                let known = DetectionSignal.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("\(Self.extensionTable).signal", "must be one of \(known), found \"\(text)\"")
            }
            signal = parsed
            signalInferred = false
        } else {
            signal = DetectionSignal.inferred(from: query)
            signalInferred = true
        }

        var result = DetectionRule(
            ruleID: ruleID, name: name, description: description, query: query,
            index: try rule.optionalStrings("index") ?? [], riskScore: riskScore, severity: severity,
            interval: interval, lookBack: lookBack, maxSignals: maxSignals, timestampOverride: timestampOverride,
            timestampOverrideFallbackDisabled: fallbackDisabled, tags: try rule.optionalStrings("tags") ?? [],
            note: try rule.optionalString("note"), falsePositives: try rule.optionalStrings("false_positives") ?? [],
            references: try rule.optionalStrings("references") ?? [], threats: try threats(&rule),
            author: try rule.optionalStrings("author") ?? [], license: try rule.optionalString("license"),
            version: version, updatedDate: try metadata.optionalDay("updated_date"),
            creationDate: try metadata.optionalDay("creation_date"), maturity: try metadata.optionalString("maturity"),
            signal: signal, signalInferred: signalInferred, otherKeys: [:], sourceFile: displayName,
            sourceDigest: digest)
        var other = rule.unreadKeys.merging(metadata.unreadKeys) { first, _ in first }
        other.merge(toolKeys.unreadKeys) { first, _ in first }
        for (key, value) in root where !["rule", "metadata", Self.extensionTable].contains(key) {
            other[key] = value
        }
        result.otherKeys = other
        return result
    }

    private func threats(_ rule: inout KeyReader) throws(RuleLoadError) -> [MitreThreat] {
        guard let entries = try rule.optionalArray("threat") else { return [] }
        var threats: [MitreThreat] = []
        for (position, entry) in entries.enumerated() {
            let key = "rule.threat[\(position)]"
            guard case .table(let table) = entry else { throw fail(key, "must be a table") }
            var reader = KeyReader(table: table, prefix: key, file: displayName)
            let framework = try reader.optionalString("framework") ?? "MITRE ATT&CK"
            guard let tacticTable = try reader.optionalTable("tactic") else {
                throw fail("\(key).tactic", "is missing")
            }
            let tactic = try mitreEntry(tacticTable, key: "\(key).tactic")
            var techniques: [MitreThreat.Technique] = []
            for (index, technique) in (try reader.optionalArray("technique") ?? []).enumerated() {
                let techniqueKey = "\(key).technique[\(index)]"
                guard case .table(let techniqueTable) = technique else { throw fail(techniqueKey, "must be a table") }
                let base = try mitreEntry(techniqueTable, key: techniqueKey)
                var subtechniques: [MitreThreat.Entry] = []
                if let subs = techniqueTable["subtechnique"] {
                    guard case .array(let list) = subs else {
                        throw fail("\(techniqueKey).subtechnique", "must be an array of tables")
                    }
                    for (subIndex, sub) in list.enumerated() {
                        let subKey = "\(techniqueKey).subtechnique[\(subIndex)]"
                        guard case .table(let subTable) = sub else { throw fail(subKey, "must be a table") }
                        subtechniques.append(try mitreEntry(subTable, key: subKey))
                    }
                }
                techniques.append(
                    MitreThreat.Technique(
                        id: base.id, name: base.name, reference: base.reference, subtechniques: subtechniques))
            }
            threats.append(MitreThreat(framework: framework, tactic: tactic, techniques: techniques))
        }
        return threats
    }

    private func mitreEntry(_ table: [String: RuleAttribute], key: String) throws(RuleLoadError) -> MitreThreat.Entry {
        var reader = KeyReader(table: table, prefix: key, file: displayName)
        return MitreThreat.Entry(
            id: try reader.requiredString("id"), name: try reader.requiredString("name"),
            reference: try reader.optionalString("reference"))
    }

    private func optionalTable(_ root: [String: RuleAttribute], _ key: String) throws(RuleLoadError)
        -> [String: RuleAttribute]
    {
        guard let value = root[key] else { return [:] }
        guard case .table(let entries) = value else { throw fail(key, "must be a table, found \(value.typeName)") }
        return entries
    }

    private func fail(_ key: String, _ reason: String) -> RuleLoadError {
        RuleLoadError(file: displayName, key: key, reason: reason)
    }

    /// A query error placed in the file when the `query =` line can be found: queries in rule files are multi-line
    /// strings that start on the line after `query = '''`.
    private func queryError(_ error: KQLSyntaxError, queryText: String) -> RuleLoadError {
        let reason = "invalid KQL at \(error.description)"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard
            let keyLine = lines.firstIndex(where: { line in
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                return trimmed.hasPrefix("query") && trimmed.dropFirst(5).drop { $0 == " " }.hasPrefix("=")
            })
        else { return RuleLoadError(file: displayName, key: "rule.query", reason: reason) }
        let afterEquals = lines[keyLine].split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
        let opener = afterEquals.trimmingCharacters(in: .whitespaces)
        let multiLine = opener == "'''" || opener == "\"\"\""
        let fileLine = keyLine + 1 + (multiLine ? error.line : error.line - 1)
        var column = error.column
        if !multiLine, error.line == 1, let quoteStart = lines[keyLine].firstIndex(where: { $0 == "'" || $0 == "\"" }) {
            column += lines[keyLine].distance(from: lines[keyLine].startIndex, to: quoteStart) + 1
        }
        return RuleLoadError(file: displayName, key: "rule.query", line: fileLine, column: column, reason: reason)
    }

    /// TOMLKit's tree as plain values (TOMLKit's types are neither Sendable nor Hashable).
    static func convert(_ table: TOMLTable) -> [String: RuleAttribute] {
        var result: [String: RuleAttribute] = [:]
        for (key, value) in table {
            result[key] = convert(value)
        }
        return result
    }

    private static func convert(_ value: TOMLValueConvertible) -> RuleAttribute {
        switch value.type {
        case .table: return .table(value.table.map(convert) ?? [:])
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .double(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .date:
            guard let date = value.date else { return .dateTime(value.debugDescription) }
            return .dateTime(String(format: "%04d-%02d-%02d", date.year, date.month, date.day))
        case .time, .dateTime: return .dateTime(value.debugDescription)
        }
    }
}

/// Reads typed keys from one table, remembering which it read so the rest can be kept as `otherKeys`.
struct KeyReader {
    let table: [String: RuleAttribute]
    let prefix: String
    let file: String
    private var read: Set<String> = []

    init(table: [String: RuleAttribute], prefix: String, file: String) {
        self.table = table
        self.prefix = prefix
        self.file = file
    }

    /// Keys not read, under their dotted path.
    var unreadKeys: [String: RuleAttribute] {
        var result: [String: RuleAttribute] = [:]
        for (key, value) in table where !read.contains(key) {
            result["\(prefix).\(key)"] = value
        }
        return result
    }

    mutating func requiredString(_ key: String) throws(RuleLoadError) -> String {
        guard let value = try optionalString(key) else { throw fail(key, "is required") }
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fail(key, "is empty") }
        return value
    }

    mutating func optionalString(_ key: String) throws(RuleLoadError) -> String? {
        guard let value = take(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    mutating func requiredInteger(_ key: String) throws(RuleLoadError) -> Int {
        guard let value = try optionalInteger(key) else { throw fail(key, "is required") }
        return value
    }

    mutating func optionalInteger(_ key: String) throws(RuleLoadError) -> Int? {
        guard let value = take(key) else { return nil }
        guard case .integer(let number) = value else { throw wrongType(key, "an integer", value) }
        return number
    }

    mutating func optionalBool(_ key: String) throws(RuleLoadError) -> Bool? {
        guard let value = take(key) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, "a boolean", value) }
        return flag
    }

    mutating func optionalStrings(_ key: String) throws(RuleLoadError) -> [String]? {
        guard let value = take(key) else { return nil }
        guard case .array(let items) = value else { throw wrongType(key, "an array of strings", value) }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw fail("\(key)[\(index)]", "must be a string, found \(item.typeName)")
            }
            strings.append(text)
        }
        return strings
    }

    mutating func optionalArray(_ key: String) throws(RuleLoadError) -> [RuleAttribute]? {
        guard let value = take(key) else { return nil }
        guard case .array(let items) = value else { throw wrongType(key, "an array", value) }
        return items
    }

    mutating func optionalTable(_ key: String) throws(RuleLoadError) -> [String: RuleAttribute]? {
        guard let value = take(key) else { return nil }
        guard case .table(let entries) = value else { throw wrongType(key, "a table", value) }
        return entries
    }

    /// `YYYY/MM/DD` as Elastic writes dates, or a TOML date.
    mutating func optionalDay(_ key: String) throws(RuleLoadError) -> UTCDay? {
        guard let value = take(key) else { return nil }
        let text: String
        switch value {
        case .string(let string): text = string.replacingOccurrences(of: "/", with: "-")
        case .dateTime(let string): text = String(string.prefix(10))
        default: throw wrongType(key, "a date such as \"2026/04/10\"", value)
        }
        guard let day = UTCDay(text) else { throw fail(key, "must be a date such as \"2026/04/10\", found \"\(text)\"") }
        return day
    }

    private mutating func take(_ key: String) -> RuleAttribute? {
        read.insert(key)
        return table[key]
    }

    private func wrongType(_ key: String, _ expected: String, _ found: RuleAttribute) -> RuleLoadError {
        fail(key, "must be \(expected), found \(found.typeName)")
    }

    private func fail(_ key: String, _ reason: String) -> RuleLoadError {
        RuleLoadError(file: file, key: "\(prefix).\(key)", reason: reason)
    }
}
