import Foundation

/// An IP address or CIDR block as Elasticsearch reads the value of a query on an `ip` field: `10.0.0.1`,
/// `10.0.0.0/8`, `2001:db8::/32`. Like Elasticsearch, every address is held as 16 bytes with IPv4 mapped into
/// `::ffff:0:0/96`, so `::ffff:10.0.0.1` and `10.0.0.1` are one address and an IPv4 prefix `/n` covers `/96+n`.
struct IPAddressBlock: Sendable, Hashable {
    /// The network address, masked to the prefix.
    let network: [UInt8]
    /// Leading bits that must agree (0…128).
    let prefixLength: Int

    /// Reads `address` or `address/prefix`; nil when the text is neither (then the query value is not an IP).
    init?(_ text: String) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let parsed = Self.address(String(pieces[0])) else { return nil }
        var length = 128
        if pieces.count == 2 {
            guard let bits = Int(pieces[1]), pieces[1].allSatisfy(\.isASCII),
                bits >= 0, bits <= (parsed.isIPv4 ? 32 : 128)
            else { return nil }
            length = parsed.isIPv4 ? 96 + bits : bits
        }
        prefixLength = length
        network = Self.masked(parsed.bytes, to: length)
    }

    /// Whether the field value `text` is an address inside this block (a value that is no address never is).
    func contains(_ text: String) -> Bool {
        guard let candidate = Self.address(text) else { return false }
        return Self.masked(candidate.bytes, to: prefixLength) == network
    }

    /// An ECS field of type `ip`: `client.ip`, `source.ip`, `related.ip`… (ECS names every such field `ip` or `*.ip`).
    static func isIPField(_ name: String) -> Bool {
        name == "ip" || name.hasSuffix(".ip")
    }

    private static func address(_ text: String) -> (bytes: [UInt8], isIPv4: Bool)? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let octets = withUnsafeBytes(of: &v4) { Array($0) }
            return ([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + octets, true)
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        return (withUnsafeBytes(of: &v6) { Array($0) }, false)
    }

    private static func masked(_ bytes: [UInt8], to prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(max(prefixLength - index * 8, 0), 8)
            return kept == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
        }
    }
}
