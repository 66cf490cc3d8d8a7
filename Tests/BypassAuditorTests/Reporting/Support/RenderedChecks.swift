import Foundation

import BypassAuditor

/// Independent readers of the rendered formats, so tests check the output as a consumer would parse it rather than
/// trusting the renderers' own helpers.
enum RenderedChecks {
    // MARK: CSV

    /// An RFC 4180 reader: records of fields, quotes undone.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var characters = Array(text.unicodeScalars)[...]
        // The byte-order mark the report's CSV files start with is not data, as for any UTF-8 CSV reader.
        if characters.first == "\u{FEFF}" { characters.removeFirst() }
        while let scalar = characters.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true
            case ",":
                record.append(field)
                field = ""
            case "\r" where characters.first == "\n":
                characters.removeFirst()
                record.append(field)
                records.append(record)
                record = []
                field = ""
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    static let formulaStarters: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    // MARK: Markdown

    /// The `|` characters of a line that are not backslash-escaped: GFM's cell separators.
    static func unescapedPipes(in line: String) -> Int {
        var count = 0
        var backslashes = 0
        for character in line {
            if character == "\\" {
                backslashes += 1
                continue
            }
            if character == "|" && backslashes % 2 == 0 { count += 1 }
            backslashes = 0
        }
        return count
    }

    /// The cells of a table row, split at unescaped pipes only (the outer pipes give empty first and last parts).
    static func markdownCells(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var backslashes = 0
        for character in line {
            if character == "|" && backslashes % 2 == 0 {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
            backslashes = character == "\\" ? backslashes + 1 : 0
        }
        cells.append(cell.trimmingCharacters(in: .whitespaces))
        return cells
    }

    /// Tables as runs of consecutive lines starting with `|`.
    static func markdownTables(_ text: String) -> [[String]] {
        var tables: [[String]] = []
        var current: [String] = []
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("|") {
                current.append(line)
            } else if !current.isEmpty {
                tables.append(current)
                current = []
            }
        }
        if !current.isEmpty { tables.append(current) }
        return tables
    }

    /// The document without its fenced code blocks, and the blocks (fence lines included) as lines.
    static func splitCodeBlocks(_ text: String) -> (text: String, blocks: [[String]]) {
        var outside: [String] = []
        var blocks: [[String]] = []
        var fence: String?
        for line in text.components(separatedBy: "\n") {
            if let open = fence {
                blocks[blocks.count - 1].append(line)
                if line == open { fence = nil }
            } else if line.hasPrefix("```") {
                fence = String(line.prefix { $0 == "`" })
                blocks.append([line])
            } else {
                outside.append(line)
            }
        }
        return (outside.joined(separator: "\n"), blocks)
    }

    /// Every `](` that is not escaped: the link targets the document contains.
    static func markdownLinkTargets(_ text: String) -> [String] {
        var targets: [String] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index + 1 < scalars.count {
            if scalars[index] == "]" && scalars[index + 1] == "(" {
                var backslashes = 0
                var back = index - 1
                while back >= 0 && scalars[back] == "\\" {
                    backslashes += 1
                    back -= 1
                }
                if backslashes % 2 == 0 {
                    var end = index + 2
                    var target = ""
                    while end < scalars.count && scalars[end] != ")" && scalars[end] != "\n" {
                        target.unicodeScalars.append(scalars[end])
                        end += 1
                    }
                    targets.append(target)
                }
            }
            index += 1
        }
        return targets
    }

    // MARK: HTML

    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)]
    }

    /// Every start tag in `html` with its attributes (a small scanner for the markup our renderer writes).
    static func tags(in html: String) -> [Tag] {
        var tags: [Tag] = []
        let scalars = Array(html.unicodeScalars)
        var index = 0
        func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == ":"
        }
        while index < scalars.count {
            guard scalars[index] == "<", index + 1 < scalars.count,
                (scalars[index + 1] >= "a" && scalars[index + 1] <= "z") || (scalars[index + 1] >= "A" && scalars[index + 1] <= "Z")
            else {
                index += 1
                continue
            }
            index += 1
            var name = ""
            while index < scalars.count && isNameCharacter(scalars[index]) {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            var attributes: [(String, String)] = []
            while index < scalars.count && scalars[index] != ">" {
                if scalars[index] == " " || scalars[index] == "/" || scalars[index] == "\n" {
                    index += 1
                    continue
                }
                var attribute = ""
                while index < scalars.count && isNameCharacter(scalars[index]) {
                    attribute.unicodeScalars.append(scalars[index])
                    index += 1
                }
                var value = ""
                if index < scalars.count && scalars[index] == "=" {
                    index += 1
                    if index < scalars.count && scalars[index] == "\"" {
                        index += 1
                        while index < scalars.count && scalars[index] != "\"" {
                            value.unicodeScalars.append(scalars[index])
                            index += 1
                        }
                        index += 1
                    } else {
                        while index < scalars.count && scalars[index] != " " && scalars[index] != ">" {
                            value.unicodeScalars.append(scalars[index])
                            index += 1
                        }
                    }
                }
                if attribute.isEmpty { index += 1 } else { attributes.append((attribute.lowercased(), value)) }
            }
            tags.append(Tag(name: name.lowercased(), attributes: attributes))
        }
        return tags
    }

    /// The elements and attributes our renderer writes; anything else in the output came from the data.
    static let allowedElements: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "a", "div", "header", "h1", "h2", "h3", "p", "strong", "span", "code",
        "table", "caption", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "nav", "main", "section", "article", "dl", "dt",
        "dd", "details", "summary", "br", "pre", "figure", "figcaption", "svg", "rect", "text", "line", "footer",
    ]
    static let allowedAttributes: Set<String> = [
        "lang", "charset", "name", "content", "http-equiv", "class", "id", "href", "aria-label", "aria-labelledby", "scope", "role",
        "xmlns", "viewbox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "font-size", "font-weight", "text-anchor", "fill", "open",
    ]

    /// Ids defined in the page (`id="…"`).
    static func ids(in html: String) -> [String] {
        tags(in: html).flatMap { $0.attributes.filter { $0.name == "id" }.map(\.value) }
    }

    /// The values of every ` id="…"` attribute, by a byte scan fast enough for a 10 MB page.
    static func idValues(in html: String) -> [String] {
        let bytes = Array(html.utf8)
        let marker = Array(" id=\"".utf8)
        var values: [String] = []
        var index = 0
        while index + marker.count < bytes.count {
            if bytes[index] == marker[0] && bytes[index + 1] == marker[1] && bytes[index + 2] == marker[2] && bytes[index + 3] == marker[3]
                && bytes[index + 4] == marker[4]
            {
                var end = index + marker.count
                while end < bytes.count && bytes[end] != UInt8(ascii: "\"") { end += 1 }
                values.append(String(decoding: bytes[(index + marker.count)..<end], as: UTF8.self))
                index = end
            } else {
                index += 1
            }
        }
        return values
    }

    /// Fragment links (`href="#…"`).
    static func fragmentLinks(in html: String) -> [String] {
        tags(in: html).flatMap { $0.attributes.filter { $0.name == "href" && $0.value.hasPrefix("#") }.map { String($0.value.dropFirst()) } }
    }

    /// Decodes the character references our escaping writes.
    static func htmlText(_ escaped: String) -> String {
        escaped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    // MARK: PowerShell

    static let quoteCharacters: Set<Unicode.Scalar> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]

    /// Reads a remediation line as PowerShell's tokenizer would: the cmdlet, `-Identity`, one verbatim string (a quote
    /// character ends it unless another follows), then exactly `-AuditBypassEnabled $false` and an optional comment.
    /// Returns the identity the line acts on, nil when the line has any other shape.
    static func identity(inRemediationLine line: String) -> String? {
        let prefix = "Set-MailboxAuditBypassAssociation -Identity "
        guard line.hasPrefix(prefix) else { return nil }
        var rest = Array(line.dropFirst(prefix.count).unicodeScalars)[...]
        guard let open = rest.popFirst(), quoteCharacters.contains(open) else { return nil }
        var value = ""
        while let scalar = rest.popFirst() {
            if quoteCharacters.contains(scalar) {
                if let next = rest.first, quoteCharacters.contains(next) {
                    value.unicodeScalars.append(next)
                    rest.removeFirst()
                    continue
                }
                let tail = String(String.UnicodeScalarView(rest))
                let command = " -AuditBypassEnabled $false"
                guard tail == command || tail.hasPrefix(command + "  # ") else { return nil }
                return value
            }
            if scalar == "\n" || scalar == "\r" { return nil }
            value.unicodeScalars.append(scalar)
        }
        return nil
    }
}
