import ArgumentParser
import BypassAuditor
import Foundation

extension ManagementCloud: ExpressibleByArgument {}

/// The Management Activity API options `collect` and `watch --collect` share: who signs in, to which cloud, for
/// which content types. Secrets come from a file or $BYPASS_AUDITOR_CLIENT_SECRET, never from an argument.
struct CollectOptions: ParsableArguments {
    static let secretVariable = "BYPASS_AUDITOR_CLIENT_SECRET"

    @Option(help: "The tenant (directory) ID, a GUID, or its .onmicrosoft.com domain.")
    var tenant: String?

    @Option(name: .customLong("client-id"), help: "The application (client) ID of the app registration.")
    var clientID: String?

    @Option(
        name: .customLong("client-secret-file"),
        help: "A file holding the client secret (else $\(CollectOptions.secretVariable)).", completion: .file())
    var clientSecretFile: String?

    @Option(help: "The app's certificate, PEM (preferred to a secret; with --private-key).", completion: .file())
    var certificate: String?

    @Option(name: .customLong("private-key"), help: "The certificate's RSA private key, PEM.", completion: .file())
    var privateKey: String?

    @Option(
        name: .customLong("content-type"),
        help: "Content type to collect; repeatable (default Audit.Exchange, all the bundled rules need).",
        completion: .list(ActivityContentType.documented.map(\.rawValue)))
    var contentTypes: [String] = []

    @Option(help: "The Microsoft 365 cloud: \(ManagementCloud.allCases.map(\.rawValue).joined(separator: ", ")).")
    var cloud: ManagementCloud = .commercial

    @Option(help: "Blob downloads in flight at once.")
    var concurrency = 4

    @Option(
        name: .customLong("login-url"),
        help: "Override the sign-in host (for tests and sovereign clouds), e.g. https://login.example.")
    var loginURL: String?

    @Option(
        name: .customLong("manage-url"),
        help: "Override the Management API host (for tests and sovereign clouds), e.g. https://manage.example.")
    var manageURL: String?

    @Option(name: .customLong("ca-certificate"), help: "PEM CA certificates to trust for those hosts.", completion: .file())
    var caCertificate: String?

    /// Checks what argument-parser cannot: a usable tenant and client id, one credential, sensible URLs.
    func check() throws {
        guard let tenant, !tenant.isEmpty else { throw ValidationError("--tenant is required") }
        // The tenant goes into URL paths: GUIDs and domain names only.
        guard tenant.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw ValidationError("--tenant: expected a tenant GUID or domain, got \(TerminalText.safe(tenant))")
        }
        guard let clientID, !clientID.isEmpty else { throw ValidationError("--client-id is required") }
        if (certificate == nil) != (privateKey == nil) {
            throw ValidationError("--certificate and --private-key go together")
        }
        if certificate != nil, clientSecretFile != nil {
            throw ValidationError("give either --client-secret-file or --certificate/--private-key, not both")
        }
        if concurrency < 1 || concurrency > 32 { throw ValidationError("--concurrency must be 1 to 32") }
        for (name, value) in [("--login-url", loginURL), ("--manage-url", manageURL)] {
            if let value, URL(string: value)?.host == nil || !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
                throw ValidationError("\(name): not an http(s) URL: \(value)")
            }
        }
    }

    /// The library's request; reads the credential (file or environment).
    func request(since: Date?) throws -> ActivityCollectRequest {
        try check()
        let credential = try ClientCredential.resolve(
            certificateFile: certificate, privateKeyFile: privateKey,
            secret: SecretSource(file: clientSecretFile, environmentVariable: Self.secretVariable, label: "client secret"))
        let types = contentTypes.isEmpty ? [ActivityContentType.exchange] : contentTypes.map(ActivityContentType.init)
        return ActivityCollectRequest(
            tenant: tenant ?? "", clientID: clientID ?? "", credential: credential,
            endpoints: ManagementEndpoints(
                cloud: cloud, loginBaseURL: loginURL.flatMap(URL.init(string:)),
                manageBaseURL: manageURL.flatMap(URL.init(string:))),
            contentTypes: types, since: since, concurrency: concurrency,
            http: RemoteHTTPConfiguration(caCertificateFile: caCertificate))
    }
}
