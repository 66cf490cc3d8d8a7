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
        guard text.utf8.count <= 16 else { return false }
        return unsetValues.contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Trims spaces without Foundation when there are none to trim (the usual case).
    private static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last, first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
        else { return text }
        return text.trimmingCharacters(in: .whitespaces)
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
        let text = stripIPv4MappedPrefix(trimmed(raw))
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
        let text =
            raw.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A })
            ? String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })) : raw
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
        guard text.utf8.count >= 9, text.utf8.contains(UInt8(ascii: ":")),
            let range = text.range(of: "::ffff:", options: .caseInsensitive)
        else { return text }
        let tail = text[range.upperBound...]
        let dotted = tail.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard dotted.split(separator: ".", omittingEmptySubsequences: false).count == 4 else { return text }
        return String(text[..<range.lowerBound]) + String(tail)
    }

    private static func positiveInteger(_ text: Substring) -> Int64? {
        guard let first = text.first, first != "0", text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }

    /// `NAME (address)`: NAME has no spaces, the address is everything up to the closing parenthesis. Read on the
    /// UTF-8 bytes: this runs for every Exchange record, and Foundation's string search was its main cost.
    private static func hostAndParenthesisedAddress(_ text: String, anchored: Bool) -> (String, String)? {
        let bytes = Array(text.utf8)
        guard let open = bytes.indices.dropLast().first(where: { bytes[$0] == 0x20 && bytes[$0 + 1] == UInt8(ascii: "(") })
        else { return nil }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var domainStart = 0
        if anchored {
            guard open > 0, !bytes[..<open].contains(where: isSpace) else { return nil }
        } else {
            domainStart = (bytes[..<open].lastIndex(where: isSpace) ?? -1) + 1
            guard domainStart < open else { return nil }
        }
        let addressStart = open + 2
        guard let close = bytes[addressStart...].firstIndex(of: UInt8(ascii: ")")) else { return nil }
        if anchored, close != bytes.count - 1 { return nil }
        return (String(decoding: bytes[domainStart..<open], as: UTF8.self), String(decoding: bytes[addressStart..<close], as: UTF8.self))
    }
}
