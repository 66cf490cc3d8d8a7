import Foundation

/// What Elastic's o365 pipeline reads out of a client address (`ClientIP`, `ClientIPAddress`, `ActorIpAddress`).
struct ClientAddress: Sendable, Equatable {
    /// `client.address`: the address without its port (or the raw text when it is not an address at all).
    var address: String?
    /// `client.ip`: set only when `address` is a valid IPv4 or IPv6 address.
    var ip: String?
    /// `client.port`
    var port: Int64?
    /// `client.domain`: a host name given instead of an address.
    var domain: String?
}

/// The server an Exchange record names in `OriginatingServer` (`HE1PR0102MB3228 (15.20.2707.017)`).
struct ServerAddress: Sendable, Equatable {
    var address: String?
    var ip: String?
    var domain: String?
}

enum NetworkAddress {
    /// Values the services write for "no address" (Elastic's Filebeat module drops them too).
    private static let unsetValues: Set<String> = ["", "null", "<null>"]

    static func isUnset(_ text: String) -> Bool {
        unsetValues.contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Whether `text` is a literal IPv4 or IPv6 address.
    static func isIP(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 64 else { return false }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return true }
        var v6 = in6_addr()
        return inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Parses a client address the way the pipeline's grok patterns do, in their order: `[ip]:port`, `ip`, `[ip]`,
    /// `ipv4:port`, a bare host name, `host (address)`, and otherwise the text as it is. IPv4-mapped IPv6
    /// (`::ffff:1.2.3.4`) is first reduced to the IPv4 address.
    static func parseClient(_ raw: String) -> ClientAddress? {
        guard !isUnset(raw) else { return nil }
        let text = stripIPv4MappedPrefix(raw.trimmingCharacters(in: .whitespaces))
        var result = ClientAddress()
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let inside = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if isIP(inside) {
                if rest.isEmpty {
                    result.address = inside
                } else if rest.hasPrefix(":"), let port = positiveInteger(rest.dropFirst()) {
                    result.address = inside
                    result.port = port
                }
            }
        }
        if result.address == nil {
            if isIP(text) {
                result.address = text
            } else if let colon = text.lastIndex(of: ":"), text.contains("."),
                let port = positiveInteger(text[text.index(after: colon)...])
            {
                let host = String(text[..<colon])
                if isIPv4(host) {
                    result.address = host
                    result.port = port
                }
            }
        }
        if result.address == nil {
            if !text.contains(where: \.isWhitespace) {
                result.domain = text
                return result
            }
            if let (domain, address) = hostAndParenthesisedAddress(text, anchored: true) {
                result.domain = domain
                result.address = address
            } else {
                result.address = text
            }
        }
        if let address = result.address, isIP(address) { result.ip = address }
        return result
    }

    /// Parses `OriginatingServer`: `NAME (address)` gives a domain and an address, anything else is the address.
    static func parseServer(_ raw: String) -> ServerAddress? {
        let text = raw.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
        guard !isUnset(text) else { return nil }
        var result = ServerAddress()
        var candidate = text
        if candidate.hasPrefix("["), candidate.hasSuffix("]") { candidate = String(candidate.dropFirst().dropLast()) }
        if let (domain, address) = hostAndParenthesisedAddress(candidate, anchored: false) {
            result.domain = domain
            result.address = address
        } else {
            result.address = text
        }
        if let address = result.address, isIP(address) { result.ip = address }
        return result
    }

    // MARK: - Helpers

    private static func isIPv4(_ text: String) -> Bool {
        var v4 = in_addr()
        return inet_pton(AF_INET, text, &v4) == 1
    }

    /// `::ffff:1.2.3.4` → `1.2.3.4`, wherever it appears (the pipeline's gsub), in either case.
    private static func stripIPv4MappedPrefix(_ text: String) -> String {
        guard let range = text.range(of: "::ffff:", options: .caseInsensitive) else { return text }
        let tail = text[range.upperBound...]
        let dotted = tail.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard dotted.split(separator: ".", omittingEmptySubsequences: false).count == 4 else { return text }
        return String(text[..<range.lowerBound]) + String(tail)
    }

    private static func positiveInteger(_ text: Substring) -> Int64? {
        guard let first = text.first, first != "0", text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }

    /// `NAME (address)`: NAME has no spaces, the address is everything up to the closing parenthesis.
    private static func hostAndParenthesisedAddress(_ text: String, anchored: Bool) -> (String, String)? {
        guard let open = text.range(of: " (") else { return nil }
        let name = text[..<open.lowerBound]
        let domain: Substring
        if anchored {
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else { return nil }
            domain = name
        } else {
            domain = name.split(whereSeparator: \.isWhitespace).last ?? ""
            guard !domain.isEmpty else { return nil }
        }
        let afterOpen = text[open.upperBound...]
        guard let close = afterOpen.firstIndex(of: ")") else { return nil }
        if anchored, afterOpen.index(after: close) != afterOpen.endIndex { return nil }
        return (String(domain), String(afterOpen[..<close]))
    }
}
