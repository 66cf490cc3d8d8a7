import Foundation
import Testing

@testable import Core

@Suite struct SnakeCaseKeyMemoTests {
    @Test("converts as JSONKeyNames does, first time and remembered", arguments: [
        "eventIDs", "identifiedByGUID", "fromSHA256", "GUIDValue", "plain", "svc-backup@contoso.com", "", "ÄccountName",
    ])
    func convertsAsTheMappingDoes(name: String) {
        let memo = SnakeCaseKeyMemo()
        #expect(memo.snakeCase(name) == JSONKeyNames.snakeCase(name))
        #expect(memo.snakeCase(name) == JSONKeyNames.snakeCase(name))
    }

    @Test("past its capacity it still converts every key, remembering none of the extra ones")
    func keepsConvertingWhenFull() {
        let memo = SnakeCaseKeyMemo()
        for index in 0..<5000 { _ = memo.snakeCase("key\(index)Name") }
        #expect(memo.snakeCase("lateKeyName") == "late_key_name")
        #expect(memo.snakeCase("key4999Name") == JSONKeyNames.snakeCase("key4999Name"))
    }

    @Test("the shared encoder writes the same keys as before")
    func encoderUsesTheMapping() throws {
        struct Sample: Encodable { var eventIDs = [1]; var identifiedByGUID = true; var values = ["svc-backup": 1] }
        #expect(try JSONCoding.string(Sample(), pretty: false)
            == #"{"event_ids":[1],"identified_by_guid":true,"values":{"svc-backup":1}}"#)
    }
}
