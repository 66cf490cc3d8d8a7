import Testing

import BypassAuditor
@testable import Core

@Suite struct AccountNameTests {
    @Test func comparesCaseInsensitivelyAndWhole() {
        #expect(AccountName("SVC-Backup@Contoso.com") == AccountName("svc-backup@contoso.com"))
        #expect(AccountName("svc") != AccountName("svc-backup"))
        #expect(AccountName(" svc-backup ") == AccountName("svc-backup"))
    }

    @Test func aCanonicalPathNamesItsLastSegment() {
        let names = AccountName.names(
            in: "EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/svc-backup")
        #expect(names.map(\.key).contains("svc-backup"))
        #expect(!names.map(\.key).contains("contoso.onmicrosoft.com"))
    }

    @Test func aDistinguishedNameNamesItsCommonNameOnly() {
        let names = AccountName.names(in: "CN=svc-backup,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=EURPR01A002,DC=PROD")
        #expect(names.map(\.key).contains("svc-backup"))
        #expect(!names.map(\.key).contains("contoso.onmicrosoft.com"))
        #expect(!names.map(\.key).contains("eurpr01a002"))
    }

    @Test func distinguishedNameEscapesAreUndone() {
        #expect(AccountName.firstRDNValue(ofDN: #"CN=Doe\, John,OU=Users,DC=contoso"#) == "Doe, John")
        #expect(AccountName.firstRDNValue(ofDN: #"CN=svc\2Cbackup,DC=contoso"#) == "svc,backup")
        #expect(AccountName.firstRDNValue(ofDN: #"CN=M\C3\BCller,DC=contoso"#) == "Müller")
        #expect(AccountName.firstRDNValue(ofDN: "OU=Users,DC=contoso") == nil)
    }

    @Test func recognisesGUIDs() {
        #expect(AccountName("7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6").isGUID)
        #expect(AccountName("{7F9C2E4A-1B2C-4D5E-8F90-A1B2C3D4E5F6}").isGUID)
        #expect(!AccountName("svc-backup").isGUID)
        #expect(!AccountName("7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5fz").isGUID)
    }
}
