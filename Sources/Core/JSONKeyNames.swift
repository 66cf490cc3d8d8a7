/// The one mapping between Swift property names and JSON keys: snake_case that keeps acronym words whole.
///
/// Foundation's `convertToSnakeCase` splits a plural acronym (`eventIDs` → `event_i_ds`) and its
/// `convertFromSnakeCase` cannot give `ID` back (`event_id` → `eventId`), which forced an `…Id` rename onto every
/// such property. Here `eventIDs` ↔ `event_ids`, `identifiedByGUID` ↔ `identified_by_guid`, `fromSHA256` ↔
/// `from_sha256`; every other name converts exactly as Foundation's strategy does, so documented keys stay the same.
public enum JSONKeyNames {
    /// Acronyms written in capitals inside property names, by their snake_case word.
    static let acronyms: [String: String] = [
        "id": "ID", "ids": "IDs", "guid": "GUID", "guids": "GUIDs", "ip": "IP", "ips": "IPs", "sha256": "SHA256",
        "url": "URL", "dn": "DN", "utc": "UTC",
    ]

    /// `eventIDs` → `event_ids`. Only Swift-style property names (`[a-z][A-Za-z0-9]*`) are converted: any other key
    /// (a dictionary key made from data, such as a hostile account name) is written as it is, so it round-trips.
    public static func snakeCase(_ name: String) -> String {
        guard isPropertyName(name) else { return name }
        let characters = Array(name)
        var words: [String] = []
        var current = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard character.isUppercase else {
                current.append(character)
                index += 1
                continue
            }
            var end = index
            while end < characters.count, characters[end].isUppercase { end += 1 }
            var run = String(characters[index..<end])
            while end < characters.count, characters[end].isNumber {
                run.append(characters[end])
                end += 1
            }
            if !current.isEmpty {
                words.append(current)
                current = ""
            }
            let next = end < characters.count ? characters[end] : nil
            if run.count > 1, next == "s", end + 1 == characters.count || characters[end + 1].isUppercase {
                // A plural acronym: `IDs`, `GUIDs`.
                words.append(run + "s")
                index = end + 1
            } else if run.count > 1, let next, next.isLowercase, run.last?.isUppercase == true {
                // `GUIDValue`: the run's last capital starts the next word.
                words.append(String(run.dropLast()))
                current = String(run.last!)
                index = end
            } else {
                current = run
                index = end
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }.joined(separator: "_")
    }

    /// `event_ids` → `eventIDs`.
    public static func camelCase(_ key: String) -> String {
        guard isSnakeCaseKey(key) else { return key }
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        guard let first = words.first, words.count > 1 else { return key }
        var result = String(first)
        for word in words.dropFirst() {
            let text = String(word)
            result += acronyms[text] ?? (text.prefix(1).uppercased() + text.dropFirst())
        }
        return result
    }
}

extension JSONKeyNames {
    /// `[a-z][A-Za-z0-9]*`: what a property name looks like.
    static func isPropertyName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return bytes.allSatisfy { isASCIILetterOrDigit($0) }
    }

    /// `[a-z][a-z0-9]*(_[a-z0-9]+)*`: what `snakeCase` writes.
    static func isSnakeCaseKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            bytes.last != UInt8(ascii: "_")
        else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            let lowerOrDigit = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            if byte == UInt8(ascii: "_") {
                if previous == UInt8(ascii: "_") { return false }
            } else if !lowerOrDigit {
                return false
            }
            previous = byte
        }
        return true
    }

    private static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// A coding key made from a converted string.
struct ConvertedKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
