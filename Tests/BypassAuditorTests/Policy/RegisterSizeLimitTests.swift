import Foundation
import Testing

@testable import Core
@testable import Policy

/// A register over `AllowlistLoader.maximumBytes` is refused whole, before any parsing, and an edit never writes one.
@Suite struct RegisterSizeLimitTests {
    /// A valid register with one entry, padded with a comment to `size` bytes of text.
    private func register(size: Int) -> String {
        let head = "version: 1\nentries:\n" + completeEntry("AB-0001", account: "svc-backup@contoso.com") + "# "
        return head + String(repeating: "x", count: size - head.utf8.count - 1) + "\n"
    }

    @Test func aRegisterOverTheLimitIsInvalidAndNamesTheLimit() {
        let text = register(size: AllowlistLoader.maximumBytes + 1)
        let result = AllowlistLoader.load(content: text, path: "big.yaml")
        #expect(result.allowlist == nil)
        #expect(!result.isValid)
        #expect(result.errors.map(\.message) == [
            "the register holds 8.0 MiB, over the limit of 8.0 MiB (about 19,000 entries); it is not read, so no entry "
                + "counts as approved: remove what is not an approval"
        ])
    }

    @Test func aRegisterAtTheLimitLoads() {
        let text = register(size: AllowlistLoader.maximumBytes)
        #expect(text.utf8.count == AllowlistLoader.maximumBytes)
        let result = AllowlistLoader.load(content: text, path: "full.yaml")
        #expect(result.isValid)
        #expect(result.allowlist?.entries.map(\.id) == ["AB-0001"])
    }

    @Test func anEditThatWouldCrossTheLimitIsRefusedAndLeavesTheFile() throws {
        let text = register(size: AllowlistLoader.maximumBytes - 100)
        let workspace = try EditorWorkspace(content: text)
        do {
            try workspace.editor.add(newEntry(), at: EditorWorkspace.now)
            Issue.record("an edit must not write a register over the limit")
        } catch AllowlistEditError.wouldBeInvalid(_, let issues) {
            #expect(issues.count == 1)
            #expect(issues.first?.message.contains("over the limit of 8.0 MiB") == true)
        }
        #expect(workspace.text == text)
        #expect(try workspace.editCount() == 0)
    }

    @Test func aRegisterOverTheLimitIsNotEdited() throws {
        let text = register(size: AllowlistLoader.maximumBytes + 1)
        let workspace = try EditorWorkspace(content: text)
        let error = #expect(throws: AllowlistEditError.self) {
            try workspace.editor.add(newEntry(), at: EditorWorkspace.now)
        }
        // Said as what it is: a register too large to read, not a YAML error.
        let message = error.map(String.init(describing:)) ?? ""
        #expect(message.contains("cannot be read as a register") && !message.contains("YAML"), "\(message)")
        #expect(message.contains("over the limit of 8.0 MiB"), "\(message)")
        #expect(workspace.text == text)
    }
}
