/// The tool's version, printed by `--version` and written into every report's provenance.
public enum BypassAuditorVersion {
    public static let current = "0.1.0"
}
