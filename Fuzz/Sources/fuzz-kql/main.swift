// libFuzzer target: the KQL parser, printer and evaluator. A query that parses must print to text that parses
// back to the same expression (rules are stored and shown printed), and must evaluate on an event without trapping.
import Foundation
import FuzzSupport
@testable import Core
@testable import Detection

private enum Harness {
    static let event = AuditEvent(fields: [
        "event.action": .string("Set-MailboxAuditBypassAssociation"),
        "event.dataset": .string("o365.audit"),
        "event.provider": .string("Exchange"),
        "event.category": .list([.string("web")]),
        "event.outcome": .string("success"),
        "o365.audit.Parameters.AuditBypassEnabled": .string("True"),
    ])
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static let body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { bytes, count in
        let text = String(decoding: FuzzDriver.data(bytes, count), as: UTF8.self)
        guard let expression = try? KQLParser.parse(text) else { return 0 }
        let printed = KQLPrinter.print(expression)
        guard let reparsed = try? KQLParser.parse(printed) else {
            fatalError("printed query does not parse: \(printed.debugDescription) from \(text.debugDescription)")
        }
        guard reparsed == expression else {
            fatalError("printed query parses differently: \(printed.debugDescription) from \(text.debugDescription)")
        }
        _ = KQLQuery(expression: expression).matches(event, now: now)
        return 0
    }
}

// SwiftPM builds fuzzer executables as libraries (-parse-as-library); libFuzzer's own main calls this.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    Harness.body(bytes, count)
}
