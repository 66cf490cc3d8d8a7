import BypassAuditor
import Foundation

/// The human-readable drift output: a verdict line, counts, each finding, then the controls.
enum DriftText {
    static func print(_ result: DriftResult, register: Allowlist) {
        let counts = Severity.descending.map { "\(result.count(of: $0)) \($0)" }.joined(separator: ", ")
        let statuses = ControlStatus.allCases.map { status in
            "\(result.controls.filter { $0.status == status }.count) \(status.rawValue)"
        }.joined(separator: ", ")
        Console.out(
            "Drift for tenant \(result.tenant) as of \(UTCTimestamp.format(result.asOf)), period \(result.period.label)")
        Console.out("Register: \(safe(register.path)) (sha256 \(register.sha256.prefix(12))…, \(register.entries.count) entries)")
        Console.out("Findings: \(result.findings.isEmpty ? "none" : counts)")
        Console.out("Controls: \(statuses)")
        for finding in result.findings {
            Console.out("")
            Console.out("\(finding.severity.rawValue.uppercased())  \(safe(finding.id))")
            Console.out("  \(safe(finding.detail))")
            if !finding.evidence.isEmpty {
                Console.out("  evidence:")
                for line in evidenceLines(finding.evidence) { Console.out(safe("    " + line)) }
            }
            Console.out("  action: \(safe(finding.action))")
        }
        Console.out("")
        Console.out("Controls (the seed rule's false-positive practices):")
        for control in result.controls {
            Console.out("  \(control.id.rawValue)  \(control.status.rawValue.uppercased().padding(toLength: 4, withPad: " ", startingAt: 0))  \(control.title)")
            Console.out("        \(safe(control.reason))")
            if !control.findingIDs.isEmpty {
                Console.out("        findings: \(safe(control.findingIDs.joined(separator: ", ")))")
            }
        }
    }

    /// One line per piece of evidence, except that a run of day evidence (a coverage gap) reads as one range:
    /// the JSON keeps every day.
    static func evidenceLines(_ evidence: [Evidence]) -> [String] {
        var lines: [String] = []
        var index = 0
        while index < evidence.count {
            let item = evidence[index]
            var end = index
            while item.kind == .day, end + 1 < evidence.count, evidence[end + 1].kind == .day,
                let day = UTCDay(evidence[end].reference), let next = UTCDay(evidence[end + 1].reference),
                day.advanced(by: 1) == next
            {
                end += 1
            }
            if end - index >= 2 {
                lines.append("days \(item.reference)..\(evidence[end].reference) (\(end - index + 1) days): \(item.note ?? "")")
            } else {
                for single in evidence[index...end] {
                    var line = "\(single.kind.rawValue) \(single.reference)"
                    if let time = single.time { line += " at \(UTCTimestamp.format(time))" }
                    if let note = single.note { line += ": \(note)" }
                    lines.append(line)
                }
            }
            index = end + 1
        }
        return lines
    }

    /// Attacker-written text (account names, actors) shown on a terminal: control and format characters, which
    /// could move the cursor or rewrite earlier lines, are shown as `\u{…}` escapes instead.
    static func safe(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let category = scalar.properties.generalCategory
            if category == .control || (category == .format && scalar.value != 0x200D) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
