import Core
import Foundation

/// The PowerShell that produces an export `snapshot import` can trust, and what its file name carries.
///
/// `Get-MailboxAuditBypassAssociation` returns at most 1,000 objects unless `-ResultSize Unlimited` is given, so the
/// ordinary export of a larger tenant is silently truncated. The script asks for every object, writes UTF-8 CSV
/// without the type line, and names the file `bypass-associations_<tenant id>_<yyyyMMddTHHmmssZ>.csv` with the UTC
/// time the export started, so the import can date it and place it without `--taken-at` or `--tenant`.
public enum SnapshotExportScript {
    /// The script `snapshot script` prints.
    public static let text = """
        # Exports every mailbox audit bypass association for `bypass-auditor snapshot import --complete`.
        # Run in Exchange Online PowerShell after Connect-ExchangeOnline (ExchangeOnlineManagement 3.x).
        $ErrorActionPreference = 'Stop'
        $tenant = (Get-ConnectionInformation | Select-Object -First 1).TenantID
        if (-not $tenant) { throw 'Not connected: run Connect-ExchangeOnline first.' }
        # The UTC time the export starts: the snapshot shows the state at (about) this instant.
        $taken = (Get-Date).ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'")
        $file = "bypass-associations_$($tenant)_$($taken).csv"
        # -ResultSize Unlimited: without it the cmdlet stops at 1,000 objects. No filter: a complete list.
        Get-MailboxAuditBypassAssociation -ResultSize Unlimited |
            Export-Csv -Path $file -NoTypeInformation -Encoding utf8
        Write-Output "Wrote $file"
        Write-Output "Import it with: bypass-auditor snapshot import --complete $file"

        """

    /// What a file name written by the script says: the tenant and the UTC time the export started.
    public struct FileNameFacts: Sendable, Hashable {
        public var tenant: TenantID
        public var takenAt: Date
    }

    /// Reads `bypass-associations_<tenant GUID>_<yyyyMMddTHHmmssZ>.csv` (or `.json`) out of the last path component;
    /// nil when the name is not of that form.
    public static func facts(fromFileName path: String) -> FileNameFacts? {
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        let pieces = stem.split(separator: "_", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0] == "bypass-associations", AccountName.isGUID(String(pieces[1])) else {
            return nil
        }
        let stamp = Array(pieces[2].utf8)
        // yyyyMMddTHHmmssZ
        guard stamp.count == 16, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "Z"),
            stamp[0..<8].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), stamp[9..<15].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        let text = String(decoding: stamp, as: UTF8.self)
        let iso = "\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.dropFirst(6).prefix(2))T"
            + "\(text.dropFirst(9).prefix(2)):\(text.dropFirst(11).prefix(2)):\(text.dropFirst(13).prefix(2))Z"
        guard let takenAt = UTCTimestamp.parse(iso) else { return nil }
        return FileNameFacts(tenant: TenantID(String(pieces[1])), takenAt: takenAt)
    }
}
