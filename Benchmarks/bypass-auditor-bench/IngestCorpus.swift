import Foundation

/// The ingest corpus: raw Management API NDJSON shaped like a real tenant's month (record sizes ~1-3 KB, one line in
/// seven a `Set-Mailbox` that changes something other than auditing, one bypass record per 50,000 lines), and its
/// gzip copy. Both are generated once, checked (size, line count, gzip integrity) before any timing, and reused only
/// while their manifest still matches them.
struct IngestCorpus {
    let plainPath: String
    var gzipPath: String { plainPath + ".gz" }
    let megabytes: Int
    private(set) var lines = 0
    private(set) var bypassRecords = 0
    private(set) var setMailboxRecords = 0
    private(set) var plainBytes = 0

    init(directory: String, megabytes: Int) {
        plainPath = "\(directory)/o365-\(megabytes)mb.ndjson"
        self.megabytes = megabytes
    }

    private var manifestPath: String { plainPath + ".manifest" }

    /// Generates what is missing or does not check out, then verifies both files.
    mutating func prepare() throws {
        if !loadManifest() {
            print("generating the \(megabytes) MB ingest corpus at \(plainPath) …")
            try generate()
        }
        try verifyPlain()
        if !gzipIsIntact() {
            print("compressing it (gzip -1) …")
            let partial = gzipPath + ".partial"
            try ChildProcess.check("gzip -1 -c \(shellQuoted(plainPath)) > \(shellQuoted(partial))")
            try FileManager.default.moveItem(atPath: partial, toPath: gzipPath)
            guard gzipIsIntact() else { throw BenchError.failed("\(gzipPath) does not decompress to \(plainPath)") }
        }
    }

    /// The plain file has the size and line count its manifest records (a killed generator leaves no manifest).
    private func verifyPlain() throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: plainPath)[.size] as? Int) ?? -1
        guard size == plainBytes, size >= megabytes * 1_000_000 else {
            throw BenchError.failed("\(plainPath) is \(size) bytes, its manifest says \(plainBytes)")
        }
    }

    /// `gzip -t` passes and the decompressed size is the plain file's (gzip -l is unreliable beyond 4 GiB, so count).
    private func gzipIsIntact() -> Bool {
        guard FileManager.default.fileExists(atPath: gzipPath),
            let test = try? ChildProcess.run("gzip -t \(shellQuoted(gzipPath)) 2>/dev/null"), test.exitStatus == 0
        else { return false }
        let countFile = gzipPath + ".count"
        defer { try? FileManager.default.removeItem(atPath: countFile) }
        guard (try? ChildProcess.check("zcat \(shellQuoted(gzipPath)) | wc -c > \(shellQuoted(countFile))")) != nil,
            let text = try? String(contentsOfFile: countFile, encoding: .utf8)
        else { return false }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) == plainBytes
    }

    private mutating func loadManifest() -> Bool {
        guard let text = try? String(contentsOfFile: manifestPath, encoding: .utf8) else { return false }
        let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 4 else { return false }
        (lines, bypassRecords, setMailboxRecords, plainBytes) = (numbers[0], numbers[1], numbers[2], numbers[3])
        let size = (try? FileManager.default.attributesOfItem(atPath: plainPath)[.size] as? Int) ?? -1
        return size == plainBytes
    }

    private mutating func generate() throws {
        try? FileManager.default.removeItem(atPath: manifestPath)
        try? FileManager.default.removeItem(atPath: gzipPath)
        let partial = plainPath + ".partial"
        let writer = try BufferedFileWriter(path: partial)
        let target = megabytes * 1_000_000
        let tenant = "4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
        let padding = String(repeating: "x", count: 1200)
        (lines, bypassRecords, setMailboxRecords) = (0, 0, 0)
        var written = 0
        while written < target {
            // 2.5 s apart on average: a month is ~1M lines.
            let time = creationTime(secondsIntoOctober: (lines * 5 / 2) % (31 * 86_400))
            let id = benchGUID(lines, salt: 1)
            let user = "user\(lines % 997)"
            let line: String
            if lines % 50_000 == 25_000 {
                bypassRecords += 1
                line = """
                    {"CreationTime":"\(time)","Id":"\(id)","Operation":"Set-MailboxAuditBypassAssociation","OrganizationId":"\(tenant)","RecordType":1,"ResultStatus":"True","UserKey":"10032001A2B3C4D5","UserType":2,"Version":1,"Workload":"Exchange","ClientIP":"198.51.100.7:50211","ObjectId":"svc-bench-\(bypassRecords)","UserId":"exo-admin@contoso.com","Parameters":[{"Name":"Identity","Value":"svc-bench-\(bypassRecords)@contoso.com"},{"Name":"AuditBypassEnabled","Value":"True"}]}
                    """
            } else {
                switch lines % 7 {
                case 0:
                    setMailboxRecords += 1
                    line = """
                        {"CreationTime":"\(time)","Id":"\(id)","Operation":"Set-Mailbox","OrganizationId":"\(tenant)","RecordType":1,"ResultStatus":"True","UserType":2,"Version":1,"Workload":"Exchange","ObjectId":"\(user)","UserId":"exo-admin@contoso.com","Parameters":[{"Name":"Identity","Value":"\(user)@contoso.com"},{"Name":"ForwardingSmtpAddress","Value":"smtp:archive@contoso.com"},{"Name":"ProhibitSendQuota","Value":"49 GB"}],"OriginatingServer":"AM6PR01MB1234 (15.20.7000.012)","Extra":"\(padding)"}
                        """
                case 1, 2, 3:
                    line = """
                        {"CreationTime":"\(time)","Id":"\(id)","Operation":"MailItemsAccessed","OrganizationId":"\(tenant)","RecordType":50,"ResultStatus":"Succeeded","UserType":0,"Version":1,"Workload":"Exchange","UserId":"\(user)@contoso.com","ClientIPAddress":"192.0.2.\(lines % 250)","MailboxOwnerUPN":"\(user)@contoso.com","Folders":[{"FolderItems":[{"InternetMessageId":"<\(id)@contoso.com>","SizeInBytes":\(lines % 90000)}],"Path":"\\\\Inbox"}],"Padding":"\(padding)\(padding)"}
                        """
                default:
                    line = """
                        {"CreationTime":"\(time)","Id":"\(id)","Operation":"UserLoggedIn","OrganizationId":"\(tenant)","RecordType":15,"ResultStatus":"Success","UserType":0,"Version":1,"Workload":"AzureActiveDirectory","ClientIP":"203.0.113.\(lines % 250)","ObjectId":"00000002-0000-0ff1-ce00-000000000000","UserId":"\(user)@contoso.com","ExtendedProperties":[{"Name":"UserAgent","Value":"Mozilla/5.0"},{"Name":"RequestType","Value":"OAuth2:Token"}],"Padding":"\(padding)"}
                        """
                }
            }
            try writer.write(line)
            try writer.write("\n")
            written += line.utf8.count + 1
            lines += 1
        }
        try writer.finish()
        plainBytes = written
        try? FileManager.default.removeItem(atPath: plainPath)
        try FileManager.default.moveItem(atPath: partial, toPath: plainPath)
        try "\(lines) \(bypassRecords) \(setMailboxRecords) \(plainBytes)\n".write(toFile: manifestPath, atomically: true, encoding: .utf8)
        print("  \(lines) lines, \(bypassRecords) bypass records, \(setMailboxRecords) Set-Mailbox records")
    }
}
