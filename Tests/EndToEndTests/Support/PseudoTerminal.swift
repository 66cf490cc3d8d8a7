import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension CLI {
    /// Runs the CLI with stdin on a pseudo-terminal (stdout and stderr stay pipes), typing `input` into it: how a
    /// person at a terminal answers a prompt.
    static func runOnTerminal(_ arguments: [String], in directory: URL? = nil, input: String) throws -> Result {
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
        let masterHandle = FileHandle(fileDescriptor: master, closeOnDealloc: true)
        let secondaryHandle = FileHandle(fileDescriptor: secondary, closeOnDealloc: true)

        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = secondaryHandle
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = outPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        masterHandle.write(Data(input.utf8))
        process.waitUntilExit()
        group.wait()
        _ = masterHandle
        _ = secondaryHandle
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
