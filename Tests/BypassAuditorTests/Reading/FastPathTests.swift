import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reading

/// The fast path skips only what cannot matter: on a mixed corpus it keeps exactly the events a full parse keeps.
@Suite struct FastPathTests {
    /// A rule-like group: forwarding set on a mailbox (`Set-Mailbox` alone is on a seventh of all lines).
    static let forwardingGroup = ["Set-Mailbox", "ForwardingSmtpAddress"]
    static let prefilter = LinePrefilter(literalGroups: [forwardingGroup])

    /// What a loaded rule would keep (the Ingester's `EventInterest.keeps`).
    static func kept(_ event: AuditEvent) -> Bool {
        event.isBypassChange || (event.action == "Set-Mailbox" && event.parameter("ForwardingSmtpAddress") != nil)
    }

    /// Mostly irrelevant records, some bypass changes (Name/Value and string parameters), Set-Mailbox lines with and
    /// without forwarding, spread over a month.
    static func mixedCorpus(format: String) -> String {
        var lines: [String] = []
        for index in 1...1500 {
            let day = 1 + index % 28
            let time = "2026-11-\(day < 10 ? "0" : "")\(day)T\(index % 24 < 10 ? "0" : "")\(index % 24):00:00.5"
            var operation = "MailItemsAccessed"
            var parameters = #"[{"Name":"Folder","Value":"Inbox"}]"#
            var ecsParameters = #"{"Folder":"Inbox"}"#
            switch index % 50 {
            case 0:
                operation = "Set-MailboxAuditBypassAssociation"
                parameters = #"[{"Name":"AuditBypassEnabled","Value":"True"},{"Name":"Identity","Value":"svc\#(index)"}]"#
                ecsParameters = #"{"AuditBypassEnabled":"True","Identity":"svc\#(index)"}"#
            case 7:
                operation = "Set-MailboxAuditBypassAssociation"
                parameters = #""-Identity 'svc\#(index)' -AuditBypassEnabled $false""#
                ecsParameters = #"{"_raw":\#(parameters)}"#
            case 1, 2, 3, 4, 5, 6:
                operation = "Set-Mailbox"
                parameters = #"[{"Name":"Identity","Value":"user\#(index)"},{"Name":"RetainDeletedItemsFor","Value":"30"}]"#
                ecsParameters = #"{"Identity":"user\#(index)","RetainDeletedItemsFor":"30"}"#
            case 8:
                operation = "Set-Mailbox"
                parameters = #"[{"Name":"ForwardingSmtpAddress","Value":"smtp:out\#(index)@example.net"}]"#
                ecsParameters = #"{"ForwardingSmtpAddress":"smtp:out\#(index)@example.net"}"#
            default:
                break
            }
            let ip = index % 3 == 0 ? #","ClientIP":"[2001:db8::\#(index % 100)]:443""# : ""
            if format == "ecs" {
                lines.append(
                    #"{"@timestamp":"\#(time)Z","event":{"id":"e\#(index)","action":"\#(operation)","dataset":"o365.audit"},"o365":{"audit":{"Parameters":\#(ecsParameters)}}}"#)
            } else {
                lines.append(
                    #"{"CreationTime":"\#(time)","Id":"e\#(index)","Operation":"\#(operation)","RecordType":1,"Workload":"Exchange","Parameters":\#(parameters)\#(ip)}"#)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: ["api", "ecs"])
    func fastAndValidateKeepIdenticalEvents(format: String) throws {
        let path = try ReadingFixtures.write(Self.mixedCorpus(format: format))
        let fast = try ReadingFixtures.read(path, prefilter: Self.prefilter, mode: .fast, batchBytes: 64 << 10)
        let validate = try ReadingFixtures.read(path, prefilter: Self.prefilter, mode: .validate, batchBytes: 64 << 10)
        #expect(fast.errors == [] && validate.errors == [])
        #expect(validate.events.count == 1500)
        let keptByFast = fast.events.filter { Self.kept($0.event) }
        let keptByValidate = validate.events.filter { Self.kept($0.event) }
        #expect(keptByFast == keptByValidate)
        #expect(keptByFast.count == 90)
        // The fast path parsed far fewer records, yet counted all of them, on the same days.
        #expect(fast.events.count == 90)
        #expect(fast.records == 1500 && validate.records == 1500)
        #expect(fast.coverage == validate.coverage)
        #expect(fast.end == validate.end)
        #expect(fast.batches.map(\.end) == validate.batches.map(\.end))
    }

    /// The line scan covers a cache-sized stretch of the window at a time: lines longer than a stretch (a bypass
    /// record and a noise record with a large field), and lines that cross from one stretch into the next, are read
    /// whole, counted once, and kept exactly as a full parse keeps them.
    @Test func linesLongerThanAScanStretchAreReadWhole() throws {
        let padding = String(repeating: "x", count: ReadSession.scanStretchBytes + 100_000)
        var lines: [String] = []
        for index in 1...400 {
            let day = 1 + index % 5
            let time = "2026-11-0\(day)T10:00:00"
            switch index {
            case 150:
                lines.append(#"{"CreationTime":"\#(time)","Id":"long-bypass","Operation":"Set-MailboxAuditBypassAssociation","RecordType":1,"Workload":"Exchange","Parameters":[{"Name":"Identity","Value":"svc"},{"Name":"AuditBypassEnabled","Value":"True"}],"Extra":"\#(padding)"}"#)
            case 151, 300:
                lines.append(#"{"CreationTime":"\#(time)","Id":"long-\#(index)","Operation":"MailItemsAccessed","RecordType":2,"Workload":"Exchange","Extra":"\#(padding)"}"#)
            case _ where index % 40 == 0:
                lines.append(#"{"CreationTime":"\#(time)","Id":"b\#(index)","Operation":"Set-MailboxAuditBypassAssociation","RecordType":1,"Workload":"Exchange","Parameters":[{"Name":"Identity","Value":"svc\#(index)"},{"Name":"AuditBypassEnabled","Value":"False"}]}"#)
            default:
                lines.append(#"{"CreationTime":"\#(time)","Id":"n\#(index)","Operation":"MailItemsAccessed","RecordType":2,"Workload":"Exchange","Extra":"\#(String(repeating: "y", count: 500 + index * 7))"}"#)
            }
        }
        let path = try ReadingFixtures.write(lines.joined(separator: "\n") + "\n")
        let prefilter = LinePrefilter(literalGroups: [])
        let fast = try ReadingFixtures.read(path, prefilter: prefilter, mode: .fast)
        let validate = try ReadingFixtures.read(path, prefilter: prefilter, mode: .validate)
        #expect(fast.errors == [] && validate.errors == [])
        #expect(fast.records == 400 && validate.records == 400)
        #expect(fast.coverage == validate.coverage)
        #expect(fast.ids == ["b40", "b80", "b120", "long-bypass", "b160", "b200", "b240", "b280", "b320", "b360", "b400"])
        #expect(fast.events.map(\.line) == [40, 80, 120, 150, 160, 200, 240, 280, 320, 360, 400])
        #expect(fast.events == validate.events.filter { $0.event.isBypassChange })
    }

    @Test func everythingPrefilterParsesEveryRecord() throws {
        let path = try ReadingFixtures.write(Self.mixedCorpus(format: "api"))
        #expect(try ReadingFixtures.read(path, prefilter: .everything).events.count == 1500)
        #expect(try ReadingFixtures.read(path, prefilter: .bypassOnly).events.count == 60)
    }

    /// The vectorised search finds exactly what a naive search finds: at the start, at the end, across its 32-byte
    /// blocks, with repeated bytes and with near-misses sharing the probe bytes.
    @Test func vectorisedSearchAgreesWithANaiveSearch() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aAbB\"-:,".utf8)
        for needleText in ["ab", "aaaa", "Set-MailboxAuditBypassAssociation", "\"CreationTime\"", "A-b", "b\"B"] {
            let needle = ByteNeedle(needleText)
            for length in [0, 1, 2, 15, 31, 32, 33, 63, 64, 65, 100, 257] {
                for _ in 0..<8 {
                    var haystack = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                    if length >= needle.count, Bool.random(using: &generator) {
                        let at = Int.random(in: 0...(length - needle.count), using: &generator)
                        haystack.replaceSubrange(at..<(at + needle.count), with: needle.bytes)
                    }
                    let naive = length < needle.count
                        ? nil : (0...(length - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle.bytes }
                    let found = haystack.withUnsafeBufferPointer { buffer in
                        buffer.baseAddress.flatMap { needle.firstOffset(in: $0, length: length) }
                    }
                    #expect(found == naive, "\(needleText) in \(String(decoding: haystack, as: UTF8.self))")
                }
            }
        }
    }

    /// The fused line scan reports the same line ends, first key offsets and literal hits as a naive search, over more
    /// lines than one scan returns (so scans continue where the last stopped) and lines of every length.
    @Test func fusedLineScanAgreesWithANaiveScan() {
        var generator = SystemRandomNumberGenerator()
        let needles = [ByteNeedle("\"CreationTime\""), ByteNeedle("Set-Mailbox"), ByteNeedle("Forwarding"), ByteNeedle("x")]
        let alphabet = Array("ab \"C:,Tx".utf8)
        var text: [UInt8] = []
        for _ in 0..<2100 {
            var line = (0..<Int.random(in: 0...50, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            for needle in needles.dropLast() where Int.random(in: 0..<4, using: &generator) == 0 {
                let at = Int.random(in: 0...line.count, using: &generator)
                line.insert(contentsOf: needle.bytes, at: at)
            }
            text += line + [0x0A]
        }
        text += Array("trailing \"CreationTime\" without newline".utf8)

        let scanner = LineScanner(needles: needles)
        var expected: [(end: Int, key: Int?, found: UInt64)] = []
        var lineStart = 0
        for (index, byte) in text.enumerated() where byte == 0x0A {
            let line = Array(text[lineStart..<index])
            func first(_ needle: ByteNeedle) -> Int? {
                line.count < needle.count ? nil : (0...(line.count - needle.count)).first { Array(line[$0..<($0 + needle.count)]) == needle.bytes }
            }
            var found: UInt64 = 0
            for (bit, needle) in needles.enumerated().dropFirst() where first(needle) != nil { found |= 1 << UInt64(bit) }
            expected.append((index, first(needles[0]).map { lineStart + $0 }, found))
            lineStart = index + 1
        }

        var actual: [(end: Int, key: Int?, found: UInt64)] = []
        text.withUnsafeBufferPointer { buffer in
            var offset = 0
            while true {
                let scan = scanner.scan(buffer.baseAddress! + offset, length: buffer.count - offset)
                for line in scan.lines {
                    actual.append((offset + line.end, line.first_needle_at < 0 ? nil : offset + line.first_needle_at, UInt64(line.needles_found)))
                }
                if scan.lines.isEmpty { break }
                offset += scan.consumed
            }
        }
        #expect(actual.count == expected.count)
        #expect(actual.map(\.end) == expected.map(\.end))
        #expect(actual.map(\.key) == expected.map(\.key))
        #expect(actual.map(\.found) == expected.map(\.found))
    }

    @Test func literalsAreSearchedOnlyByTheCharactersNoWriterEscapes() {
        #expect(CompiledPrefilter.searchableBytes(of: "Set-MailboxAuditBypassAssociation") == Array("Set-MailboxAuditBypassAssociation".utf8))
        #expect(CompiledPrefilter.searchableBytes(of: #"NT AUTHORITY\SYSTEM"#) == Array("NT AUTHORITY".utf8))
        #expect(CompiledPrefilter.searchableBytes(of: "a/bc<d") == Array("bc".utf8))
        #expect(CompiledPrefilter.searchableBytes(of: "Müllerstraße") == Array("llerstra".utf8))
        #expect(CompiledPrefilter.searchableBytes(of: "é/ü") == nil)
    }

    @Test func aGroupWithNoSearchableLiteralMatchesEverything() {
        #expect(CompiledPrefilter(LinePrefilter(literalGroups: [["é"]])).matchesEverything)
        #expect(!CompiledPrefilter(LinePrefilter(literalGroups: [["Set-Mailbox", "é"]])).matchesEverything)
        #expect(CompiledPrefilter(.everything).matchesEverything)
    }

    @Test func groupsNeedEveryLiteralTogether() {
        let prefilter = CompiledPrefilter(LinePrefilter(literalGroups: [["Set-Mailbox", "ForwardingSmtpAddress"]]))
        func matches(_ text: String) -> Bool {
            var copy = text
            return copy.withUTF8 { prefilter.matches(UnsafeRawBufferPointer($0)) }
        }
        #expect(matches(#"{"Operation":"Set-MailboxAuditBypassAssociation"}"#))
        #expect(matches(#"{"Operation":"Set-Mailbox","Parameters":[{"Name":"ForwardingSmtpAddress"}]}"#))
        #expect(!matches(#"{"Operation":"Set-Mailbox","Parameters":[{"Name":"Identity"}]}"#))
        #expect(!matches(#"{"Operation":"New-InboxRule","Parameters":[{"Name":"ForwardingSmtpAddress"}]}"#))
    }

    @Test func coverageDayIsReadCheaplyAndAgreesWithTheParsedTime() {
        var scanner = RecordDayScanner(key: .creationTime, csvQuoted: false)
        func day(_ text: String) -> String? {
            var copy = text
            return copy.withUTF8 { scanner.day(in: UnsafeRawBufferPointer($0)) }?.description
        }
        #expect(day(#"{"CreationTime": "2026-11-21T23:59:59.9999999","Id":"x"}"#) == "2026-11-21")
        #expect(day(#"{"Id":"x","CreationTime":"2026-11-22T10:00:00Z"}"#) == "2026-11-22")
        // A zone offset can move the day: then the whole time is parsed.
        #expect(day(#"{"CreationTime":"2026-11-22T01:00:00+02:00"}"#) == "2026-11-21")
        #expect(day(#"{"CreationTime":"2026-02-30T00:00:00"}"#) == nil)
        #expect(day(#"{"CreationTime":20261121}"#) == nil)
        #expect(day(#"{"Id":"x"}"#) == nil)

        var csv = RecordDayScanner(key: .creationTime, csvQuoted: true)
        var row = #"x,"{""CreationTime"":""2026-11-23T10:00:00"",""Id"":""y""}""#
        #expect(row.withUTF8 { csv.day(in: UnsafeRawBufferPointer($0)) }?.description == "2026-11-23")
    }
}
