// The speed and memory benchmark (targets: ../shared/notes/targets.md, README "Performance").
//
// Generates a realistic corpus (raw Management API NDJSON and Filebeat ECS, ~1 bypass record per 50,000 lines),
// then times, in one run on the page-cached file: `cat FILE > /dev/null`, `grep -c -F Set-MailboxAuditBypassAssociation
// FILE` and `bypass-auditor ingest FILE`, and for the gzip copy `zcat FILE.gz | grep -c -F …` beside ingesting the .gz.
// Prints MB/s, the ratios and the peak RSS of each child (wait4's rusage, so no GNU time is needed).
//
// Usage: bypass-auditor-bench --binary PATH [--size-mb 1024] [--data DIR] [--keep]
import BypassAuditor
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Measurement {
    var seconds: Double
    var peakRSSKiB: Int
    var output: String
}

/// Runs a shell command line, returning wall time, the peak RSS of its largest process, and stdout.
func measure(_ commandLine: String) throws -> Measurement {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [
        strdup("/bin/sh"), strdup("-c"), strdup("\(commandLine) > '\(outputPath)'"), nil,
    ]
    defer { argv.forEach { free($0) } }
    let start = Date()
    guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else {
        throw BenchError.spawnFailed(commandLine)
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Date().timeIntervalSince(start)
    // On Linux wait4's ru_maxrss is the largest of the shell and every descendant it reaped.
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    return Measurement(seconds: seconds, peakRSSKiB: Int(usage.ru_maxrss), output: output)
}

enum BenchError: Error {
    case spawnFailed(String)
    case usage(String)
}

/// Writes the corpus: lines shaped like real O365 records (sizes ~1-3 KB), one bypass record every 50,000 lines.
func generateCorpus(at path: String, megabytes: Int) throws -> (lines: Int, bypass: Int) {
    guard FileManager.default.createFile(atPath: path, contents: nil) else { throw BenchError.spawnFailed("create \(path)") }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    let target = megabytes * 1_048_576
    var written = 0
    var lines = 0
    var bypassLines = 0
    var buffer = ""
    buffer.reserveCapacity(8 << 20)
    let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
    let padding = String(repeating: "x", count: 1200)
    let start = UTCDay(year: 2026, month: 10, day: 1)!.start
    while written < target {
        let time = UTCTimestamp.format(start.addingTimeInterval(Double(lines) * 2.5))
        let creation = String(time.dropLast(5))  // Management API style: no fraction, no zone
        let id = UUID().uuidString.lowercased()
        let line: String
        if lines % 50_000 == 25_000 {
            bypassLines += 1
            line = """
                {"CreationTime":"\(creation)","Id":"\(id)","Operation":"Set-MailboxAuditBypassAssociation","OrganizationId":"\(tenant)","RecordType":1,"ResultStatus":"True","UserKey":"10032001A2B3C4D5","UserType":2,"Version":1,"Workload":"Exchange","ClientIP":"198.51.100.7:50211","ObjectId":"svc-bench-\(bypassLines)","UserId":"exo-admin@contoso.com","Parameters":[{"Name":"Identity","Value":"svc-bench-\(bypassLines)@contoso.com"},{"Name":"AuditBypassEnabled","Value":"True"}]}
                """
        } else {
            switch lines % 7 {
            case 0:
                // Set-Mailbox noise: on a seventh of all lines, as in real tenants.
                line = """
                    {"CreationTime":"\(creation)","Id":"\(id)","Operation":"Set-Mailbox","OrganizationId":"\(tenant)","RecordType":1,"ResultStatus":"True","UserType":2,"Version":1,"Workload":"Exchange","ObjectId":"user\(lines % 997)","UserId":"exo-admin@contoso.com","Parameters":[{"Name":"Identity","Value":"user\(lines % 997)@contoso.com"},{"Name":"ProhibitSendQuota","Value":"49 GB"}],"OriginatingServer":"AM6PR01MB1234 (15.20.7000.012)","Extra":"\(padding)"}
                    """
            case 1, 2, 3:
                line = """
                    {"CreationTime":"\(creation)","Id":"\(id)","Operation":"MailItemsAccessed","OrganizationId":"\(tenant)","RecordType":50,"ResultStatus":"Succeeded","UserType":0,"Version":1,"Workload":"Exchange","UserId":"user\(lines % 997)@contoso.com","ClientIPAddress":"192.0.2.\(lines % 250)","MailboxOwnerUPN":"user\(lines % 997)@contoso.com","Folders":[{"FolderItems":[{"InternetMessageId":"<\(id)@contoso.com>","SizeInBytes":\(lines % 90000)}],"Path":"\\\\Inbox"}],"Padding":"\(padding)\(padding)"}
                    """
            default:
                line = """
                    {"CreationTime":"\(creation)","Id":"\(id)","Operation":"UserLoggedIn","OrganizationId":"\(tenant)","RecordType":15,"ResultStatus":"Success","UserType":0,"Version":1,"Workload":"AzureActiveDirectory","ClientIP":"203.0.113.\(lines % 250)","ObjectId":"00000002-0000-0ff1-ce00-000000000000","UserId":"user\(lines % 997)@contoso.com","ExtendedProperties":[{"Name":"UserAgent","Value":"Mozilla/5.0"},{"Name":"RequestType","Value":"OAuth2:Token"}],"Padding":"\(padding)"}
                    """
            }
        }
        buffer += line
        buffer += "\n"
        written += line.utf8.count + 1
        lines += 1
        if buffer.utf8.count > 7 << 20 {
            handle.write(Data(buffer.utf8))
            buffer.removeAll(keepingCapacity: true)
        }
    }
    handle.write(Data(buffer.utf8))
    return (lines, bypassLines)
}

func argument(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func run() throws {
    let arguments = CommandLine.arguments
    guard let binary = argument("--binary", in: arguments) else {
        throw BenchError.usage("usage: bypass-auditor-bench --binary PATH [--size-mb N] [--data DIR] [--keep]")
    }
    let megabytes = Int(argument("--size-mb", in: arguments) ?? "1024") ?? 1024
    let dataDirectory = argument("--data", in: arguments) ?? "bench-data"
    try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
    let corpus = "\(dataDirectory)/o365-\(megabytes)mb.ndjson"
    if !FileManager.default.fileExists(atPath: corpus) {
        print("generating \(megabytes) MB corpus at \(corpus) …")
        let (lines, bypass) = try generateCorpus(at: corpus, megabytes: megabytes)
        print("  \(lines) lines, \(bypass) bypass records")
    }
    if !FileManager.default.fileExists(atPath: corpus + ".gz") {
        print("compressing …")
        _ = try measure("gzip -1 -k -c '\(corpus)' > '\(corpus).gz'")
    }
    let size = Double((try FileManager.default.attributesOfItem(atPath: corpus)[.size] as? Int) ?? 0) / 1_000_000
    let database = "\(dataDirectory)/bench.sqlite"
    func freshDatabase() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }
    let needle = "Set-MailboxAuditBypassAssociation"

    // Warm the page cache, then measure each in the same run.
    _ = try measure("cat '\(corpus)' '\(corpus).gz' > /dev/null")
    let cat = try measure("cat '\(corpus)' > /dev/null")
    let grep = try measure("grep -c -F \(needle) '\(corpus)'")
    freshDatabase()
    let ingest = try measure("'\(binary)' ingest --db '\(database)' --json '\(corpus)'")
    let zgrep = try measure("zcat '\(corpus).gz' | grep -c -F \(needle)")
    freshDatabase()
    let ingestGzip = try measure("'\(binary)' ingest --db '\(database)' --json '\(corpus).gz'")

    func line(_ name: String, _ m: Measurement) -> String {
        String(format: "%-34@ %7.3f s  %8.0f MB/s  peak RSS %6.1f MiB", name as NSString, m.seconds, size / m.seconds,
            Double(m.peakRSSKiB) / 1024)
    }
    print("\ncorpus: \(String(format: "%.0f", size)) MB, page-cached")
    print(line("cat > /dev/null", cat))
    print(line("grep -c -F \(needle.prefix(12))…", grep))
    print(line("bypass-auditor ingest", ingest))
    print(line("zcat | grep -c -F", zgrep))
    print(line("bypass-auditor ingest (.gz)", ingestGzip))
    print(String(format: "\ningest / grep ratio:        %.2f (target ≤ 1.0)", ingest.seconds / grep.seconds))
    print(String(format: "ingest.gz / zcat|grep ratio: %.2f (target ≤ 0.5)", ingestGzip.seconds / zgrep.seconds))
    print(String(format: "ingest peak RSS:             %.1f MiB plain, %.1f MiB gzip (target < 64)",
        Double(ingest.peakRSSKiB) / 1024, Double(ingestGzip.peakRSSKiB) / 1024))
    print("grep count: \(grep.output.trimmingCharacters(in: .whitespacesAndNewlines)); ingest summary: "
        + ingest.output.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: ""))
    if !arguments.contains("--keep") { freshDatabase() }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("bypass-auditor-bench: \(error)\n".utf8))
    exit(1)
}
