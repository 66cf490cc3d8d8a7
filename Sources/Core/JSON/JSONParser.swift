/// Why a JSON text could not be read, and where (a byte offset into the text).
package struct JSONSyntaxError: Error, Sendable, Equatable {
    package var offset: Int
    package var message: String

    package init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}

/// A strict JSON (RFC 8259) parser over raw bytes.
///
/// Hand-written rather than Foundation's JSONSerialization/JSONDecoder because the readers parse straight out of their
/// read buffer (no `Data` copy per line), need the byte offset of the first error for `file:line: reason` messages
/// (including where invalid UTF-8 sits), keep integers apart from doubles and booleans exactly, and must not trap or
/// recurse without bound on hostile input. None of the available packages parses from a byte buffer.
package struct JSONParser {
    package static let maximumDepth = 256

    private let base: UnsafePointer<UInt8>
    private let count: Int
    private var index = 0
    private var depth = 0

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Parses exactly one JSON value, allowing whitespace around it.
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSONValue {
        guard let start = bytes.baseAddress, bytes.count > 0 else {
            throw JSONSyntaxError(offset: 0, message: "empty JSON text")
        }
        var parser = JSONParser(base: start.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < parser.count {
            throw JSONSyntaxError(offset: parser.index, message: "unexpected data after the JSON value")
        }
        return value
    }

    package static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var copy = text
        do {
            return try copy.withUTF8 { buffer in try parse(UnsafeRawBufferPointer(buffer)) }
        } catch let error as JSONSyntaxError {
            throw error
        } catch {
            throw JSONSyntaxError(offset: 0, message: "\(error)")
        }
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard index < count else { throw JSONSyntaxError(offset: index, message: "unexpected end of JSON text") }
        switch base[index] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw JSONSyntaxError(offset: index, message: "expected a JSON value, found \(describeByte(at: index))")
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONObject {
        try enterContainer()
        index += 1
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if index < count, base[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return JSONObject(members: members)
        }
        while true {
            skipWhitespace()
            guard index < count, base[index] == UInt8(ascii: "\"") else {
                throw JSONSyntaxError(offset: index, message: "expected a quoted object key, found \(describeByte(at: index))")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < count, base[index] == UInt8(ascii: ":") else {
                throw JSONSyntaxError(offset: index, message: "expected ':' after object key, found \(describeByte(at: index))")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard index < count else { throw JSONSyntaxError(offset: index, message: "unexpected end of JSON text inside an object") }
            if base[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if base[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return JSONObject(members: members)
            }
            throw JSONSyntaxError(offset: index, message: "expected ',' or '}' in an object, found \(describeByte(at: index))")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> [JSONValue] {
        try enterContainer()
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < count, base[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return items
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < count else { throw JSONSyntaxError(offset: index, message: "unexpected end of JSON text inside an array") }
            if base[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if base[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return items
            }
            throw JSONSyntaxError(offset: index, message: "expected ',' or ']' in an array, found \(describeByte(at: index))")
        }
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw JSONSyntaxError(offset: index, message: "JSON nested deeper than \(JSONParser.maximumDepth) levels")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let length = literal.utf8CodeUnitCount
        let matches = index + length <= count && literal.withUTF8Buffer { expected in
            (0..<length).allSatisfy { base[index + $0] == expected[$0] }
        }
        guard matches else { throw JSONSyntaxError(offset: index, message: "invalid literal, expected \(literal)") }
        index += length
    }

    // MARK: - Strings

    /// Reads a string starting at its opening quote. Runs without escapes become one String in a single step.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1
        let runStart = index
        var sawNonASCII = false
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                let text = try makeString(from: runStart, to: index, validate: sawNonASCII)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw JSONSyntaxError(offset: index, message: "unescaped control character in a string") }
            if byte >= 0x80 { sawNonASCII = true }
            index += 1
        }
        guard index < count else { throw JSONSyntaxError(offset: index, message: "unterminated string") }
        // Slow path: the string has escapes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(index - runStart + 16)
        if sawNonASCII { try validateUTF8(from: runStart, to: index) }
        bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
        while index < count {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape(to: &bytes)
            case 0..<0x20:
                throw JSONSyntaxError(offset: index, message: "unescaped control character in a string")
            case 0x80...:
                let length = try utf8SequenceLength(at: index)
                bytes.append(contentsOf: UnsafeBufferPointer(start: base + index, count: length))
                index += length
            default:
                bytes.append(byte)
                index += 1
            }
        }
        throw JSONSyntaxError(offset: index, message: "unterminated string")
    }

    private func makeString(from start: Int, to end: Int, validate: Bool) throws(JSONSyntaxError) -> String {
        if validate { try validateUTF8(from: start, to: end) }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
    }

    private mutating func appendEscape(to bytes: inout [UInt8]) throws(JSONSyntaxError) {
        let escapeStart = index
        index += 1
        guard index < count else { throw JSONSyntaxError(offset: escapeStart, message: "unterminated escape sequence") }
        let code = base[index]
        index += 1
        switch code {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4(escapeStart: escapeStart)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must pair with a following \uDC00-\uDFFF; a lone one becomes U+FFFD, as in most readers.
                if index + 6 <= count, base[index] == UInt8(ascii: "\\"), base[index + 1] == UInt8(ascii: "u") {
                    let saved = index
                    index += 2
                    let low = try readHex4(escapeStart: saved)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        index = saved
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                scalar = 0xFFFD
            }
            appendUTF8(scalar, to: &bytes)
        default:
            throw JSONSyntaxError(offset: escapeStart, message: "invalid escape sequence: a backslash followed by \(describeByte(at: index - 1))")
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= count else { throw JSONSyntaxError(offset: escapeStart, message: "truncated \\u escape") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = base[index + offset].hexDigitValue else {
                throw JSONSyntaxError(offset: escapeStart, message: "invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (scalar >> 6)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (scalar >> 12)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (scalar >> 18)))
            bytes.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    private func validateUTF8(from start: Int, to end: Int) throws(JSONSyntaxError) {
        var position = start
        while position < end {
            if base[position] < 0x80 {
                position += 1
            } else {
                position += try utf8SequenceLength(at: position, limit: end)
            }
        }
    }

    /// The length of the well-formed UTF-8 sequence at `position` (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private func utf8SequenceLength(at position: Int, limit: Int? = nil) throws(JSONSyntaxError) -> Int {
        let end = limit ?? count
        let lead = base[position]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw JSONSyntaxError(offset: position, message: "invalid UTF-8")
        }
        guard position + length <= end else { throw JSONSyntaxError(offset: position, message: "invalid UTF-8") }
        let second = base[position + 1]
        guard second >= lowerBound, second <= upperBound else { throw JSONSyntaxError(offset: position, message: "invalid UTF-8") }
        for offset in 2..<max(length, 2) where base[position + offset] & 0xC0 != 0x80 {
            throw JSONSyntaxError(offset: position, message: "invalid UTF-8")
        }
        return length
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var isInteger = true
        if base[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count, isDigit(base[index]) else { throw JSONSyntaxError(offset: start, message: "invalid number") }
        if base[index] == UInt8(ascii: "0") {
            index += 1
            if index < count, isDigit(base[index]) { throw JSONSyntaxError(offset: start, message: "invalid number (leading zero)") }
        } else {
            while index < count, isDigit(base[index]) { index += 1 }
        }
        if index < count, base[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < count, isDigit(base[index]) else { throw JSONSyntaxError(offset: start, message: "invalid number") }
            while index < count, isDigit(base[index]) { index += 1 }
        }
        if index < count, base[index] == UInt8(ascii: "e") || base[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < count, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count, isDigit(base[index]) else { throw JSONSyntaxError(offset: start, message: "invalid number") }
            while index < count, isDigit(base[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text) else { throw JSONSyntaxError(offset: start, message: "invalid number") }
        // A number beyond a Double's range (1e400) is valid JSON but has no Double: keep its source text, so the
        // record is stored faithfully instead of failing to encode later.
        guard double.isFinite else { return .string(text) }
        return .double(double)
    }

    // MARK: - Helpers

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        while index < count {
            switch base[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    private func describeByte(at position: Int) -> String {
        guard position < count else { return "end of text" }
        let byte = base[position]
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
