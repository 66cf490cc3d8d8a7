// libFuzzer target: the allowlist register loader and the comment-preserving editor's splicer. Any text must load
// (with issues) without trapping; for a register that loads, adding, renewing and removing an entry must not trap
// and must give text the loader reads (the editor then refuses any splice that does not read back as asked).
import Foundation
import FuzzSupport
@testable import Core
@testable import Policy

private enum Harness {
    static let added = AllowlistEntry(
        id: "FZ-9999", account: "fuzz.added@contoso.com", aliases: ["fuzz'alias"], category: .thirdPartyTool,
        tool: "Tool: \"x\" #", owner: "o", justification: "line one\nline two", approvedBy: "a",
        approvedOn: UTCDay(year: 2026, month: 1, day: 2), ticket: "T-1",
        lastReviewedOn: UTCDay(year: 2026, month: 2, day: 3), expiresOn: UTCDay(year: 2027, month: 1, day: 1))
    static let reviewed = UTCDay(year: 2026, month: 3, day: 4)!
    static let expires = UTCDay(year: 2027, month: 5, day: 6)!

    static let body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { bytes, count in
        let data = FuzzDriver.data(bytes, count)
        _ = AllowlistLoader.load(data: data, path: "fuzz.yaml")
        guard let content = String(validatingUTF8Data: data) else { return 0 }
        let (result, syntax) = AllowlistLoader.parse(content: content, path: "fuzz.yaml", sha256: "")
        guard result.isValid, let syntax,
            let layout = try? AllowlistLayout(text: RegisterText(content), syntax: syntax, path: "fuzz.yaml")
        else { return 0 }
        if syntax.entry(withID: added.id) == nil, let text = try? AllowlistSplicer.adding(added, to: layout) {
            _ = AllowlistLoader.parse(content: text, path: "fuzz.yaml", sha256: "")
        }
        if let firstID = syntax.entries.compactMap(\.id).first {
            if let text = try? AllowlistSplicer.renewing(id: firstID, reviewedOn: reviewed, expiresOn: expires, in: layout) {
                _ = AllowlistLoader.parse(content: text, path: "fuzz.yaml", sha256: "")
            }
            if let text = try? AllowlistSplicer.removing(id: firstID, from: layout) {
                _ = AllowlistLoader.parse(content: text, path: "fuzz.yaml", sha256: "")
            }
        }
        return 0
    }
}

// SwiftPM builds fuzzer executables as libraries (-parse-as-library); libFuzzer's own main calls this.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    Harness.body(bytes, count)
}
