/// A Microsoft 365 tenant, by its `OrganizationId` (a GUID, compared lowercased as Elastic stores it).
///
/// Everything the tool stores is scoped by tenant; names never link across tenants.
public struct TenantID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue.whitespaceTrimmed.lowercased()
    }

    /// Records that carry no `OrganizationId`.
    public static let unknown = TenantID("")

    public var isUnknown: Bool { rawValue.isEmpty }
    public var description: String { isUnknown ? "(no tenant)" : rawValue }

    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

import Foundation
