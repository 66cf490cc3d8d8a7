import Foundation
import GRDB
import Testing

@testable import Store

/// `RepeatedText` hands back one copy per distinct stored text, looked up by its bytes.
@Suite struct RepeatedTextTests {
    private static func shared(_ text: String, in repeated: inout RepeatedText, decode: (String) -> String = { $0 })
        -> String
    {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { repeated.shared(storedText: UnsafeRawBufferPointer($0), decode: decode) }
    }

    @Test("equal bytes give the first copy back, and decode runs once per distinct text")
    func sameBytesSameCopy() {
        var repeated = RepeatedText()
        var decoded = 0
        func decode(_ text: String) -> String {
            decoded += 1
            return text.uppercased()
        }
        let first = Self.shared("svc-backup@contoso.com", in: &repeated, decode: decode)
        let second = Self.shared("svc-backup@contoso.com", in: &repeated, decode: decode)
        #expect(first == "SVC-BACKUP@CONTOSO.COM" && second == first)
        #expect(decoded == 1)
        var firstText = first
        var secondText = second
        let firstStorage = firstText.withUTF8 { $0.baseAddress }
        let secondStorage = secondText.withUTF8 { $0.baseAddress }
        #expect(firstStorage == secondStorage, "one storage for both")
    }

    @Test("texts that are only canonically equivalent stay as each was stored")
    func canonicalEquivalentsStayApart() {
        var repeated = RepeatedText()
        let composed = "caf\u{E9}-backup@contoso.com"
        let decomposed = "cafe\u{301}-backup@contoso.com"
        #expect(composed == decomposed, "Swift's String equality merges them")
        #expect(Array(Self.shared(composed, in: &repeated).utf8) == Array(composed.utf8))
        #expect(Array(Self.shared(decomposed, in: &repeated).utf8) == Array(decomposed.utf8))
    }

    @Test("thousands of distinct texts, short and long, each come back as stored")
    func manyDistinctTexts() {
        var repeated = RepeatedText()
        let texts = (0..<5_000).map { index in index % 5 == 0 ? "s\(index)" : "svc-scale-\(index)@contoso.com" }
        for text in texts { #expect(Self.shared(text, in: &repeated) == text) }
        for text in texts.reversed() { #expect(Self.shared(text, in: &repeated) == text) }
        #expect(repeated.shared("svc-scale-1@contoso.com") == "svc-scale-1@contoso.com")
        #expect(repeated.shared(nil as String?) == nil)
    }

    @Test("a stored column read as bytes: NULL is nil, a required NULL names its row and column")
    func statementColumns() throws {
        let queue = try DatabaseQueue()
        try queue.read { db in
            let statement = try db.makeStatement(sql: "SELECT NULL, char(120, 0, 121), 7, 2.5")
            let cursor = try Row.fetchCursor(statement)
            _ = try cursor.next()
            let columns = StatementColumns(statement, table: "t")
            #expect(columns.isNull(0) && columns.optionalString(0) == nil)
            #expect(columns.optionalString(1) == "x\u{0}y", "a NUL inside the text is kept")
            #expect(columns.int64(2) == 7 && columns.bool(2) && columns.double(3) == 2.5)
            let error = #expect(throws: StoreError.self) { try columns.string(0, row: "r1", column: "c") }
            guard case .undecodableRow(let table, let row, let column, let value)? = error else {
                Issue.record("not an undecodable row: \(String(describing: error))")
                return
            }
            #expect([table, row, column, value] == ["t", "r1", "c", "NULL"])
        }
    }
}
