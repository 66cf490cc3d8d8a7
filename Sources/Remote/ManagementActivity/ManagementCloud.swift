import Foundation

/// Which Microsoft 365 cloud a tenant lives in: each has its own sign-in host, API host and token resource.
public enum ManagementCloud: String, Sendable, Hashable, CaseIterable {
    case commercial
    case gcc
    case gccHigh = "gcc-high"
    case dod

    /// The Microsoft identity platform host that issues tokens for this cloud.
    public var loginBaseURL: URL {
        switch self {
        case .commercial, .gcc: URL(string: "https://login.microsoftonline.com")!
        case .gccHigh, .dod: URL(string: "https://login.microsoftonline.us")!
        }
    }

    /// The Management Activity API host.
    public var manageBaseURL: URL {
        switch self {
        case .commercial: URL(string: "https://manage.office.com")!
        case .gcc: URL(string: "https://manage-gcc.office.com")!
        case .gccHigh: URL(string: "https://manage.office365.us")!
        case .dod: URL(string: "https://manage.protection.apps.mil")!
        }
    }

    /// The token scope: the API's resource with `/.default` (the application permissions granted to the app).
    public var scope: String { manageBaseURL.absoluteString + "/.default" }
}

/// Where `collect` sends its requests: a cloud's hosts, or overrides of them.
///
/// The overrides exist for exactly two uses: tests against a server on 127.0.0.1, and sovereign clouds whose hosts
/// are not in `ManagementCloud`. The token scope stays the cloud's unless `scope` is given.
public struct ManagementEndpoints: Sendable, Hashable {
    public var loginBaseURL: URL
    public var manageBaseURL: URL
    public var scope: String

    public init(cloud: ManagementCloud, loginBaseURL: URL? = nil, manageBaseURL: URL? = nil, scope: String? = nil) {
        self.loginBaseURL = loginBaseURL ?? cloud.loginBaseURL
        self.manageBaseURL = manageBaseURL ?? cloud.manageBaseURL
        self.scope = scope ?? cloud.scope
    }

    /// `…/{tenant}/oauth2/v2.0/token`: the client-credentials token endpoint (also the client assertion's `aud`).
    public func tokenURL(tenant: String) -> URL {
        loginBaseURL.appendingPathComponent(tenant).appendingPathComponent("oauth2/v2.0/token")
    }

    /// `…/api/v1.0/{tenant}/activity/feed/{operation}`.
    public func feedURL(tenant: String, operation: String, query: [URLQueryItem]) -> URL {
        let base = manageBaseURL.appendingPathComponent("api/v1.0").appendingPathComponent(tenant)
            .appendingPathComponent("activity/feed").appendingPathComponent(operation)
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        components.queryItems = query
        return components.url!
    }
}

/// A Management Activity API content type (`Audit.Exchange`, `Audit.General`, …).
public struct ActivityContentType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Exchange admin and mailbox records: everything the bundled rules need.
    public static let exchange = ActivityContentType(rawValue: "Audit.Exchange")
    /// The content types the API documents.
    public static let documented: [ActivityContentType] = [
        "Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint", "Audit.General", "DLP.All",
    ].map(ActivityContentType.init(rawValue:))

    public var description: String { rawValue }
}
