import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Reading

/// The single normalisation rules, each on its own.
@Suite struct NormalisationRuleTests {
    @Test(arguments: [
        ("203.0.113.7", "203.0.113.7", "203.0.113.7", nil, nil),
        ("203.0.113.7:8080", "203.0.113.7", "203.0.113.7", 8080, nil),
        ("[2001:db8::1]:443", "2001:db8::1", "2001:db8::1", 443, nil),
        ("[2001:db8::1]", "2001:db8::1", "2001:db8::1", nil, nil),
        ("2001:db8::1", "2001:db8::1", "2001:db8::1", nil, nil),
        ("::ffff:198.51.100.4", "198.51.100.4", "198.51.100.4", nil, nil),
        ("[::FFFF:198.51.100.4]:5000", "198.51.100.4", "198.51.100.4", 5000, nil),
        ("mail.contoso.com", nil, nil, nil, "mail.contoso.com"),
        ("host1 (192.0.2.1)", "192.0.2.1", "192.0.2.1", nil, "host1"),
        ("not an address at all", "not an address at all", nil, nil, nil),
    ] as [(String, String?, String?, Int64?, String?)])
    func clientAddressForms(raw: String, address: String?, ip: String?, port: Int64?, domain: String?) throws {
        let parsed = try #require(NetworkAddress.parseClient(raw))
        #expect(parsed == ClientAddress(address: address, ip: ip, port: port, domain: domain))
    }

    @Test func unsetAddressesAreIgnored() {
        for raw in ["", "  ", "null", "<null>", "NULL"] { #expect(NetworkAddress.parseClient(raw) == nil) }
    }

    @Test func originatingServer() {
        #expect(
            NetworkAddress.parseServer("HE1PR0102MB3228 (15.20.207.17)\r\n")
                == ServerAddress(address: "15.20.207.17", ip: "15.20.207.17", domain: "HE1PR0102MB3228"))
        // Not an address (a build number): no server.ip, as in Elastic's output.
        #expect(
            NetworkAddress.parseServer("HE1PR0102MB3228 (15.20.2707.017)")
                == ServerAddress(address: "15.20.2707.017", ip: nil, domain: "HE1PR0102MB3228"))
        #expect(NetworkAddress.parseServer("SRV01") == ServerAddress(address: "SRV01", ip: nil, domain: nil))
    }

    @Test func powerShellArgumentForms() {
        let plain = PowerShellArguments(parsing: #"-Identity "svc backup@contoso.com" -AuditBypassEnabled $true"#)
        #expect(plain.value(of: "Identity") == "svc backup@contoso.com")
        #expect(plain.value(of: "auditbypassenabled") == "$true")

        let colon = PowerShellArguments(parsing: #"-AuditBypassEnabled:$False -Identity:'O''Brien, Pat' -Confirm:$false"#)
        #expect(colon.value(of: "Identity") == "O'Brien, Pat")
        #expect(colon.value(of: "AuditBypassEnabled") == "$False")

        let bare = PowerShellArguments(parsing: "-Identity svc01 -Verbose -AuditBypassEnabled 1")
        #expect(bare.value(of: "Identity") == "svc01")
        #expect(bare.contains("Verbose") && bare.value(of: "Verbose") == nil)
        #expect(bare.value(of: "AuditBypassEnabled") == "1")

        let escaped = PowerShellArguments(parsing: #"-Identity "a ""quoted"" `"name`"" -QuarantineTypes ("Bulk","Spam") -Page "1""#)
        #expect(escaped.value(of: "Identity") == #"a "quoted" "name""#)
        #expect(escaped.value(of: "QuarantineTypes") == #"("Bulk","Spam")"#)
        #expect(escaped.value(of: "Page") == "1")

        #expect(PowerShellArguments(parsing: "").arguments.isEmpty)
        #expect(PowerShellArguments(parsing: "-Identity").value(of: "Identity") == nil)
    }

    @Test func booleanTextMatchesTheNameValueForm() {
        for text in ["$true", "$True", "true", "1"] { #expect(PowerShellArguments.booleanText(text) == "True") }
        for text in ["$false", "FALSE", "0"] { #expect(PowerShellArguments.booleanText(text) == "False") }
        #expect(PowerShellArguments.booleanText("maybe") == "maybe")
    }

    @Test func bypassParametersAreReadOnlyForTheBypassCmdlet() throws {
        let raw = #"-Identity "x@contoso.com" -AuditBypassEnabled $true"#
        func event(_ operation: String) throws -> AuditEvent {
            let record = #"{"Id":"1","CreationTime":"2026-11-21T00:00:00","Operation":"\#(operation)","Parameters":\#(raw.jsonQuoted)}"#
            return try ManagementRecordNormalizer.normalize(JSONParser.parse(record))
        }
        let bypass = try event("Set-MailboxAuditBypassAssociation")
        #expect(bypass.parameter("Identity") == "x@contoso.com")
        #expect(bypass.parameter("AuditBypassEnabled") == "True")
        let other = try event("Set-Mailbox")
        #expect(other.parameter("Identity") == nil)
        #expect(other[ECSField.rawParameters] == .string(raw))
    }

    @Test func singleRecordsNormaliseThroughThePublicEntryPoints() throws {
        let raw = try AuditRecordNormalization.event(
            fromManagementRecordJSON: #"{"Id":"r1","CreationTime":"2026-11-21T10:00:00","Operation":"Set-MailboxAuditBypassAssociation","Parameters":[{"Name":"Identity","Value":"svc"},{"Name":"AuditBypassEnabled","Value":"False"}]}"#)
        #expect(raw.id == "r1" && raw.bypassDirection == .removed && raw.parameter("Identity") == "svc")
        let document = try AuditRecordNormalization.event(
            fromECSDocumentJSON: #"{"@timestamp":"2026-11-21T10:00:00Z","event":{"id":"d1","action":"x"}}"#)
        #expect(document.id == "d1" && document.action == "x")
        // A record without Id is kept under an id derived from its content.
        let derived = try AuditRecordNormalization.event(fromManagementRecordJSON: #"{"CreationTime":"2026-11-21T10:00:00"}"#)
        #expect(derived.id.map(DerivedEventID.isDerived) == true)
        #expect(throws: ReadError(file: "<record>", line: 2, reason: "malformed JSON at column 3: expected a JSON value, found '}'")) {
            _ = try AuditRecordNormalization.event(fromECSDocumentJSON: "{\"a\":\n  }")
        }
    }

    @Test func recordTypeNames() {
        #expect(AuditRecordType.name(for: .integer(1)) == "ExchangeAdmin")
        #expect(AuditRecordType.name(for: .string("1")) == "ExchangeAdmin")
        #expect(AuditRecordType.name(for: .string("exchangeadmin")) == "ExchangeAdmin")
        #expect(AuditRecordType.name(for: .double(15)) == "AzureActiveDirectoryStsLogon")
        #expect(AuditRecordType.name(for: .integer(261)) == "CopilotInteraction")
        #expect(AuditRecordType.name(for: .integer(5)) == nil)
        #expect(AuditRecordType.name(for: .string("Banana")) == nil)
        #expect(AuditRecordType.name(for: nil) == nil)
    }

    @Test(arguments: [
        ("2026-11-21T10:44:18.1234567", "2026-11-21T10:44:18.123Z"),
        ("2026-11-21T10:44:18", "2026-11-21T10:44:18.000Z"),
        ("2026-11-21T10:44:18.001Z", "2026-11-21T10:44:18.001Z"),
        ("2026-11-21T23:59:59.9999999", "2026-11-21T23:59:59.999Z"),
        ("2026-11-21T01:00:00.5+02:00", "2026-11-20T23:00:00.500Z"),
        ("2026-11-21 10:44:18", "2026-11-21T10:44:18.000Z"),
    ])
    func timestamps(input: String, expected: String) {
        #expect(EventTimestamp.normalise(input) == expected)
    }

    @Test func unreadableTimestamps() {
        for text in ["", "yesterday", "2026-13-01T00:00:00", "2026-11-21T10:44:18.", "2026-02-30"] {
            #expect(EventTimestamp.normalise(text) == nil)
        }
    }

    @Test func flatteningMatchesHowElasticsearchIndexes() throws {
        let document = try JSONParser.parse(
            #"{"a":{"b":1,"c.d":"x"},"a.e":[1,2,null],"list":[{"k":"v1"},{"k":"v2","m":true}],"empty":[],"n":null}"#)
        let fields = FieldFlattener.flatten(try #require(document.objectValue))
        #expect(
            fields == [
                "a.b": .integer(1), "a.c.d": .string("x"), "a.e": .list([.integer(1), .integer(2)]),
                "list.k": .strings("v1", "v2"), "list.m": .list([.bool(true)]), "empty": .list([]),
            ])
    }
}

extension String {
    /// The string as a JSON string literal (for building test records).
    fileprivate var jsonQuoted: String {
        "\"" + replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
