import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension CLI {
    /// Runs the CLI with stdin on a pseudo-terminal (stdout and stderr stay pipes), typing `input` into it: how a
    /// person at a terminal answers a prompt.
    static func runOnTerminal(_ arguments: [String], in directory: URL? = nil, input: String) throws -> Result {
        let (master, secondary) = try openPseudoTerminal()
        let masterHandle = FileHandle(fileDescriptor: master, closeOnDealloc: true)
        let secondaryHandle = FileHandle(fileDescriptor: secondary, closeOnDealloc: true)
        return try run(arguments, in: directory, environment: [:], standardInput: secondaryHandle) {
            masterHandle.write(Data(input.utf8))
        }
    }

    /// A new pseudo-terminal: (controlling side, terminal side).
    static func openPseudoTerminal() throws -> (Int32, Int32) {
        // The pty functions are not in the Glibc module map: looked up in the C library the binary already links.
        typealias IntFunction = @convention(c) (Int32) -> Int32
        typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        let library = dlopen(nil, RTLD_NOW)
        guard let open_ = dlsym(library, "posix_openpt"), let grant = dlsym(library, "grantpt"),
            let unlock = dlsym(library, "unlockpt"), let name_ = dlsym(library, "ptsname")
        else { throw CLIError.binaryMissing("no pseudo-terminal functions in the C library") }
        let posixOpenpt = unsafeBitCast(open_, to: IntFunction.self)
        let grantpt = unsafeBitCast(grant, to: IntFunction.self)
        let unlockpt = unsafeBitCast(unlock, to: IntFunction.self)
        let ptsname = unsafeBitCast(name_, to: NameFunction.self)
        let master = posixOpenpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            throw CLIError.binaryMissing("no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let secondary = open(name, O_RDWR | O_NOCTTY)
        guard secondary >= 0 else { throw CLIError.binaryMissing("cannot open \(String(cString: name))") }
        return (master, secondary)
    }

    /// Runs the CLI with stderr on a pseudo-terminal (what a person watching a long command sees) and stdout on a pipe;
    /// returns everything written to the terminal, control codes included.
    static func runWithStderrOnTerminal(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, terminal: String)
    {
        let (master, secondary) = try openPseudoTerminal()
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(fileDescriptor: secondary, closeOnDealloc: false)
        try process.run()
        // Only the child keeps the terminal side open now, so reading ends (EIO) when it exits.
        close(secondary)
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        process.waitUntilExit()
        close(master)
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
