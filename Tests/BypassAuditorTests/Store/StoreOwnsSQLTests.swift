import Foundation
import Testing

/// Issue 9, "one owner for every fact": SQL is written only in the Store target. Every other target calls Store's
/// typed records, so a table's columns, its decoding and its queries have one owner.
@Suite struct StoreOwnsSQLTests {
    /// Stage folders under `Sources/` still being converted: they may hold SQL until their conversion lands. The list
    /// only shrinks: a folder listed here with no SQL left fails the test, so it is removed as soon as it is done.
    static let pendingConversion: Set<String> = []

    /// `Sources/`, found from this file (`Tests/BypassAuditorTests/Store/`), not from the working directory.
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test("no Swift file outside Sources/Store writes SQL (but the stages still pending conversion)")
    func sqlAppearsOnlyInTheStoreTarget() throws {
        let hits = try SQLInSwiftSource.hits(under: Self.sources)
        let outside = hits.filter { $0.stage != "Store" && !Self.pendingConversion.contains($0.stage) }
        let listing = outside.map(\.description).joined(separator: "\n")
        #expect(outside.isEmpty, "SQL outside Sources/Store (move it into a Store record and call that):\n\(listing)")
        let stagesWithSQL = Set(hits.map(\.stage))
        let finished = Self.pendingConversion.subtracting(stagesWithSQL).sorted()
        #expect(finished.isEmpty, "no SQL left in \(finished): remove them from `pendingConversion`")
        // The scan sees the SQL that is there: Store writes plenty.
        #expect(stagesWithSQL.contains("Store"), "the scan found no SQL in Sources/Store: it is not reading the files")
    }

    @Test("the scan finds SQL in string literals of every form, and ignores prose, comments and keywords in code")
    func scanFindsSQLAndOnlySQL() {
        let source = ##"""
            // SELECT * FROM event in a comment is not SQL
            /* DELETE FROM alert, /* nested */ still a comment */
            let prose = "Select the file; update the register, then delete from the list"
            let shout = "SELECTED rows UPDATED"
            let one = "SELECT COUNT(*) FROM event"
            let many = """
                Nothing here
                INSERT OR IGNORE INTO alert (id) VALUES (?)
                """
            let raw = #"UPDATE \#(table) SET x = "y" WHERE id = ?"#
            let nested = "value: \(lookup("DELETE FROM x")) and more"
            let escaped = "quote \" then PRAGMA foreign_keys = ON"
            let schema = "CREATE UNIQUE INDEX i ON t (c)"
            """##
        let lines = SQLInSwiftSource.sqlLines(in: source)
        #expect(lines == [5, 8, 10, 11, 12, 13])
    }
}

/// Finds SQL statements in the string literals of Swift source: a literal holding an upper-case statement keyword
/// (`SELECT`, `INSERT … INTO`, `UPDATE … SET`, `DELETE FROM`, `CREATE/DROP/ALTER TABLE|INDEX|VIEW|TRIGGER`, `PRAGMA`,
/// `REPLACE INTO`) followed by whitespace. Comments are skipped; interpolations are scanned as code.
enum SQLInSwiftSource {
    struct Hit: CustomStringConvertible {
        /// The folder under `Sources/` (the target).
        var stage: String
        /// The path below `Sources/`.
        var path: String
        var line: Int
        var description: String { "Sources/\(path):\(line)" }
    }

    static let statement = try! NSRegularExpression(
        pattern: [
            #"\b(?:SELECT|PRAGMA)\s"#,
            #"\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\s"#,
            #"\bREPLACE\s+INTO\s"#,
            #"\bUPDATE\s+\S+\s+SET\s"#,
            #"\bDELETE\s+FROM\s"#,
            #"\b(?:CREATE|DROP|ALTER)\s+(?:TEMP\s+|TEMPORARY\s+|UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\s"#,
        ].joined(separator: "|"))

    /// Every SQL line in every Swift file under `sources`, in path order.
    static func hits(under sources: URL) throws -> [Hit] {
        guard let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var hits: [Hit] = []
        let prefix = sources.standardizedFileURL.path + "/"
        for case let file as URL in files where file.pathExtension == "swift" {
            let path = String(file.standardizedFileURL.path.dropFirst(prefix.count))
            let stage = String(path.prefix { $0 != "/" })
            let text = try String(contentsOf: file, encoding: .utf8)
            hits += sqlLines(in: text).map { Hit(stage: stage, path: path, line: $0) }
        }
        return hits.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
    }

    /// The lines (1-based) on which a string literal of `text` holds a SQL statement keyword, each once.
    static func sqlLines(in text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var scanner = LiteralScanner(bytes: bytes)
        scanner.scanCode()
        var lines = Set<Int>()
        let newline = UInt8(ascii: "\n")
        for range in scanner.literals {
            let literal = String(decoding: bytes[range], as: UTF8.self) as NSString
            let matches = statement.matches(in: literal as String, range: NSRange(location: 0, length: literal.length))
            guard !matches.isEmpty else { continue }
            let firstLine = 1 + bytes[..<range.lowerBound].count(where: { $0 == newline })
            for match in matches {
                let before = literal.substring(to: match.range.location)
                lines.insert(firstLine + before.utf8.count(where: { $0 == newline }))
            }
        }
        return lines.sorted()
    }

    /// A small Swift lexer: just enough to tell string literals from comments and code.
    struct LiteralScanner {
        let bytes: [UInt8]
        var index = 0
        /// The byte ranges of literal text, between the delimiters (an interpolation's code included, so
        /// `UPDATE \(table) SET` reads as one statement; a literal inside it is a literal of its own too).
        var literals: [Range<Int>] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        func at(_ offset: Int, is text: String) -> Bool {
            var position = offset
            for byte in text.utf8 {
                guard position < bytes.count, bytes[position] == byte else { return false }
                position += 1
            }
            return true
        }

        /// Scans code until the end, or (inside an interpolation) until the `)` that closes it, which it consumes.
        mutating func scanCode(closingParenthesis: Bool = false) {
            var depth = 0
            while index < bytes.count {
                if at(index, is: "//") {
                    while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                } else if at(index, is: "/*") {
                    skipBlockComment()
                } else if bytes[index] == UInt8(ascii: "#") || bytes[index] == UInt8(ascii: "\"") {
                    var hashes = 0
                    while index + hashes < bytes.count && bytes[index + hashes] == UInt8(ascii: "#") { hashes += 1 }
                    if index + hashes < bytes.count && bytes[index + hashes] == UInt8(ascii: "\"") {
                        index += hashes
                        scanString(hashes: hashes)
                    } else {
                        index += max(hashes, 1)
                    }
                } else if bytes[index] == UInt8(ascii: "(") {
                    depth += 1
                    index += 1
                } else if bytes[index] == UInt8(ascii: ")") {
                    index += 1
                    if closingParenthesis && depth == 0 { return }
                    depth -= 1
                } else {
                    index += 1
                }
            }
        }

        mutating func skipBlockComment() {
            var depth = 0
            while index < bytes.count {
                if at(index, is: "/*") {
                    depth += 1
                    index += 2
                } else if at(index, is: "*/") {
                    depth -= 1
                    index += 2
                    if depth == 0 { return }
                } else {
                    index += 1
                }
            }
        }

        /// Scans a literal whose opening quote is at `index`, preceded by `hashes` `#` (a raw string).
        mutating func scanString(hashes: Int) {
            let hashText = String(repeating: "#", count: hashes)
            let multiline = at(index, is: "\"\"\"")
            let closing = (multiline ? "\"\"\"" : "\"") + hashText
            let escape = "\\" + hashText
            index += multiline ? 3 : 1
            let start = index
            while index < bytes.count {
                if at(index, is: closing) {
                    literals.append(start..<index)
                    index += closing.utf8.count
                    return
                }
                if at(index, is: escape) {
                    let escaped = index + escape.utf8.count
                    if escaped < bytes.count && bytes[escaped] == UInt8(ascii: "(") {
                        index = escaped + 1
                        scanCode(closingParenthesis: true)
                    } else {
                        index = escaped + 1
                    }
                    continue
                }
                index += 1
            }
            literals.append(start..<index)
        }
    }
}
