import BypassAuditor
import Foundation

/// The files a command uses: the flag when given (relative to the working folder), else the project configuration
/// (`BYPASS_AUDITOR_*` variables, then `bypass-auditor.toml`, then the defaults). Every resolved path is announced
/// on stderr as an absolute path, so a user always sees which database and register a command touched.
enum ProjectPaths {
    static func resolve(_ flag: String?, _ key: KeyPath<ProjectConfiguration, String>, name: String) throws -> String {
        let path: String
        let origin: String
        if let flag {
            path = ProjectConfiguration.absolute(flag, against: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            origin = "flag"
        } else {
            let configuration = try ProjectConfiguration.discover()
            path = configuration[keyPath: key]
            let source = configuration.sources[name] ?? "default"
            origin = source == "config" ? "from \(configuration.file ?? ProjectConfiguration.fileName)" : source
        }
        Console.note("\(name): \(path) (\(origin))")
        return path
    }
}
