import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Inventory

@Suite("Reading Get-MailboxAuditBypassAssociation exports")
struct SnapshotFileTests {
    static func fixture(_ name: String) throws -> (Data, String) {
        let url = TestPaths.fixture("Inventory/\(name)")
        return (try Data(contentsOf: url), name)
    }

    @Test("Windows PowerShell Export-Csv: BOM, #TYPE line, CRLF, every field quoted, escaped DN, empty state")
    func windowsPowerShellCSV() throws {
        let (data, name) = try Self.fixture("windows-powershell-export.csv")
        let file = try SnapshotFile(data: data, fileName: name)
        #expect(file.format == .csv)
        #expect(file.skipped.isEmpty)
        #expect(file.rows.map(\.name) == ["svc-backup", "svc-ediscovery", "alice", "Smith, John", "broken-state"])
        #expect(file.rows.map(\.bypassEnabled) == [true, true, false, false, nil])
        #expect(file.rows.map(\.line) == [3, 4, 5, 6, 7])
        #expect(file.rows.map(\.row) == [1, 2, 3, 4, 5])
        let john = file.rows[3]
        #expect(john.names.map(\.text).contains("Smith, John"))
        #expect(john.guids == ["bbbbbbbb-0000-4000-8000-000000000002"])
        // OrganizationId here is a path, not a tenant GUID: the row does not name its tenant.
        #expect(john.tenant == nil)
        #expect(!john.names.contains(AccountName("contoso.onmicrosoft.com")))
    }

    @Test("PowerShell 7 Export-Csv: no #TYPE, LF, quotes only where needed, doubled quotes")
    func powerShell7CSV() throws {
        let (data, name) = try Self.fixture("powershell7-filtered.csv")
        let file = try SnapshotFile(data: data, fileName: name)
        #expect(file.rows.count == 2)
        #expect(file.rows[1].name == #"svc "quoted" ops"#)
        #expect(file.rows[1].distinguishedName == nil)
        #expect(file.rows.allSatisfy { $0.bypassEnabled == true })
        #expect(file.rows[0].tenant == InventoryTestSupport.tenant)
    }

    @Test("UTF-16 text as Windows PowerShell's Out-File writes it reads like UTF-8")
    func utf16() throws {
        let (data, name) = try Self.fixture("windows-powershell-export.csv")
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        var littleEndian = Data([0xFF, 0xFE])
        for unit in text.utf16 { littleEndian.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        var bigEndian = Data([0xFE, 0xFF])
        for unit in text.utf16 { bigEndian.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
        let utf8Rows = try SnapshotFile(data: data, fileName: name).rows
        #expect(try SnapshotFile(data: littleEndian, fileName: name).rows == utf8Rows)
        #expect(try SnapshotFile(data: bigEndian, fileName: name).rows == utf8Rows)
    }

    @Test("ConvertTo-Json array from REST: @odata.type and <Prop>@data.type keys ignored, JSON booleans, null state")
    func restJSONArray() throws {
        let (data, name) = try Self.fixture("rest-array.json")
        let file = try SnapshotFile(data: data, fileName: name)
        #expect(file.format == .json)
        #expect(file.rows.map(\.name) == ["svc-backup", "alice", "svc-null"])
        #expect(file.rows.map(\.bypassEnabled) == [true, false, nil])
        #expect(file.rows.map(\.auditBypassEnabled) == ["True", "False", nil])
        #expect(file.rows.map(\.line) == [2, 17, 27])
        #expect(file.rows[0].guids == ["7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"])
    }

    @Test("ConvertTo-Json single object: property names in any case, state as a string, nested identity object")
    func singleJSONObject() throws {
        let (data, name) = try Self.fixture("single-object.json")
        let file = try SnapshotFile(data: data, fileName: name)
        #expect(file.rows.count == 1)
        let row = file.rows[0]
        #expect(row.bypassEnabled == true)
        #expect(row.identity?.hasPrefix("CN=svc-ediscovery,") == true)
        #expect(row.tenant == InventoryTestSupport.tenant)
        #expect(row.names.contains(AccountName("svc-ediscovery")))
    }

    @Test("broken rows are skipped with line and column; every good row is kept")
    func malformedRows() throws {
        let (data, name) = try Self.fixture("malformed.csv")
        let file = try SnapshotFile(data: data, fileName: name)
        #expect(file.rows.map(\.name) == ["svc-one", "svc-five"])
        #expect(file.rows.map(\.row) == [1, 5])
        #expect(file.skipped.map(\.line) == [3, 4, 5, 7])
        #expect(file.skipped.map(\.row) == [2, 3, 4, 6])
        #expect(file.skipped[0].column == 14)
        #expect(file.skipped[0].description.hasPrefix("malformed.csv:3:14: unexpected character after a closing quote"))
        #expect(file.skipped[1].reason == "row has 3 fields, the header has 4")
        #expect(file.skipped[3].reason.contains("never closed"))
    }

    @Test("JSON syntax errors are located by line and column")
    func jsonSyntaxPositions() {
        #expect(JSONSyntaxCheck.firstError(in: #"[{"a": 1}, {"b": "x"}]"#) == nil)
        #expect(JSONSyntaxCheck.firstError(in: "[{\"a\": 1},\n {\"b\" 2}]")?.line == 2)
        #expect(JSONSyntaxCheck.firstError(in: "[{\"a\": 1},\n {\"b\" 2}]")?.column == 7)
        #expect(JSONSyntaxCheck.firstError(in: "{\"a\": [1, 2}")?.reason == "expected ',' or ']' in an array")
        #expect(JSONSyntaxCheck.firstError(in: "{\"a\": \"open")?.reason == "a string is not closed before the end of the text")
        #expect(JSONSyntaxCheck.firstError(in: "{} x")?.reason == "unexpected text after the JSON value")
    }

    @Test("files that are not bypass exports are refused with a reason naming the file")
    func notABypassExport() {
        #expect(throws: SnapshotFileError.self) {
            try SnapshotFile(data: Data("Name,Alias\r\nalice,alice\r\n".utf8), fileName: "mailboxes.csv")
        }
        #expect(throws: SnapshotFileError.self) {
            try SnapshotFile(data: Data("AuditBypassEnabled,WhenChanged\r\nTrue,x\r\n".utf8), fileName: "nameless.csv")
        }
        #expect(throws: SnapshotFileError.self) {
            try SnapshotFile(data: Data(#"[{"Name": "a"}]"#.utf8), fileName: "no-state.json")
        }
        do {
            _ = try SnapshotFile(data: Data("[{\"Name\": \"a\",\n \"AuditBypassEnabled\": tru}]".utf8), fileName: "bad.json")
            Issue.record("invalid JSON was accepted")
        } catch let error as SnapshotFileError {
            #expect(error.description == "bad.json:2:27: not valid JSON: invalid literal (expected true)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        do {
            _ = try SnapshotFile(data: Data([0x41, 0x75, 0x0A, 0xC3, 0x28]), fileName: "latin.csv")
            Issue.record("invalid UTF-8 was accepted")
        } catch let error as SnapshotFileError {
            #expect(error.description == "latin.csv:2: not valid UTF-8 text (save the export as UTF-8 or UTF-16)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
