import Foundation
import Testing

import BypassAuditor
@testable import Reading

/// Purview / Search-UnifiedAuditLog CSV exports: header names, RFC 4180 quoting, BOM, CRLF, multi-line rows.
@Suite struct PurviewCSVReadingTests {
    @Test func classicExportWithTypeLineBOMAndCRLF() throws {
        let csv = try ReadingFixtures.read(ReadingFixtures.path("purview-classic.csv"))
        let api = try ReadingFixtures.read(ReadingFixtures.path("api-records.ndjson"))
        #expect(csv.format == .purviewCSV)
        #expect(csv.errors == [])
        #expect(csv.ids == Array(api.ids.prefix(3)))
        // The same normalisation as the raw records: AuditData is the record.
        #expect(csv.events.map(\.event) == Array(api.events.prefix(3).map(\.event)))
        // Line 1 is `#TYPE …`, line 2 the header.
        #expect(csv.events.map(\.line) == [3, 4, 5])
    }

    @Test func newExportWithQuotedRowSpanningLinesAndColumnFallbacks() throws {
        let path = ReadingFixtures.path("purview-new.csv")
        let csv = try ReadingFixtures.read(path)
        #expect(csv.format == .purviewCSV)
        #expect(csv.errors == [])
        #expect(
            csv.ids == [
                "a0000001-0000-4000-8000-000000000001", "a0000001-0000-4000-8000-000000000015",
                "a0000001-0000-4000-8000-000000000002", "a0000001-0000-4000-8000-000000000016",
            ])
        // The second row spans lines 3-4; the rows after it keep their true line numbers.
        #expect(csv.events.map(\.line) == [2, 3, 5, 6])
        let multiLine = try #require(csv.event("a0000001-0000-4000-8000-000000000015"))
        #expect(multiLine["o365.audit.Comment"] == .string("line one, line two"))
        #expect(multiLine.parameter("ForwardingSmtpAddress") == "smtp:drop@example.net")
        // `""` inside AuditData: quotes in the JSON came through.
        let first = try #require(csv.event("a0000001-0000-4000-8000-000000000001"))
        #expect(first.parameter("Identity") == "svc-backup@contoso.com")
        // AuditData without Id/CreationTime: from RecordId and the en-US CreationDate column.
        let trimmed = try #require(csv.event("a0000001-0000-4000-8000-000000000016"))
        #expect(trimmed["@timestamp"] == .string("2026-11-24T13:05:09.000Z"))
        #expect(trimmed.outcome == .failure)
        #expect(csv.end.line == 6)
    }

    @Test func brokenRowsAreReportedAndTheRestRead() throws {
        let header = "CreationDate,UserIds,Operations,AuditData\r\n"
        let good =
            #"2026-11-21T00:00:00,a@b.c,Set-Mailbox,"{""Id"":""g1"",""CreationTime"":""2026-11-21T00:00:00"",""Operation"":""Set-Mailbox""}""#
        let path = try ReadingFixtures.write(
            header + good + "\r\n"
                + "2026-11-21T00:00:00,a@b.c,Set-Mailbox\r\n"
                + #"2026-11-21T00:00:00,a@b.c,X,"abc"x"# + "\r\n"
                + #"2026-11-21T00:00:00,a@b.c,X,"{""Id"":}""# + "\r\n"
                + #"2026-11-21T00:00:00,a@b.c,X,"",x"# + "\r\n"
                + good.replacingOccurrences(of: "g1", with: "g3") + "\r\n"
                + #"2026-11-21,a,X,"{""Id"#,
            name: "broken.csv")
        let outcome = try ReadingFixtures.read(path)
        #expect(
            outcome.errors == [
                ReadError(file: path, line: 3, reason: "broken CSV row: it has 3 fields but the header has 4"),
                ReadError(
                    file: path, line: 4, reason: "broken CSV row: unexpected text after the closing quote at column 34"),
                ReadError(
                    file: path, line: 5,
                    reason: "malformed JSON (expected a JSON value, found '}') in the AuditData cell at character 7"),
                ReadError(file: path, line: 6, reason: "broken CSV row: it has 5 fields but the header has 4"),
                ReadError(
                    file: path, line: 8, reason: "broken CSV row: the quoted field starting at column 16 is never closed"),
            ])
        #expect(outcome.ids == ["g1", "g3"])
    }

    @Test func notACSVExportIsRefused() throws {
        let path = try ReadingFixtures.write("name,value\nx,1\n", name: "other.csv")
        #expect(throws: ReadError(
            file: path, line: 1,
            reason: "cannot tell the format: not JSON, and not a Purview CSV export (no AuditData column in the header)")
        ) {
            _ = try ReadingFixtures.read(path)
        }
    }

    @Test func csvFieldSplitting() throws {
        func split(_ text: String) throws -> [String] {
            var copy = text
            return try copy.withUTF8 { buffer in
                try CSVRow.fields(of: UnsafeRawBufferPointer(buffer)).map { String(decoding: $0, as: UTF8.self) }
            }
        }
        #expect(try split("a,b,c") == ["a", "b", "c"])
        #expect(try split(#""a ""quoted"" word",,"x,y""#) == [#"a "quoted" word"#, "", "x,y"])
        #expect(try split("a,") == ["a", ""])
        #expect(try split("\"multi\nline\",2") == ["multi\nline", "2"])
        #expect(try split("") == [""])
    }
}
