import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One timed run of a shell command line.
struct ChildRun {
    var seconds: Double
    /// CPU time of the child and everything it waited for.
    var cpuSeconds: Double
    /// Peak resident set of the largest process of the command (GNU time's `%M`), in KiB.
    var peakRSSKiB: Int
    var exitStatus: Int32
}

enum BenchError: Error, CustomStringConvertible {
    case spawnFailed(String)
    case usage(String)
    case failed(String)

    var description: String {
        switch self {
        case .spawnFailed(let what): "cannot start: \(what)"
        case .usage(let text): text
        case .failed(let what): what
        }
    }
}

/// Runs commands under GNU time, which forks and waits for the child itself: its `%M` is the child's own peak RSS.
///
/// (Taking `wait4`'s rusage of a child posix_spawn-ed from this process is not: on Linux a vfork-ed child starts its
/// high-water mark from the parent's memory, so every figure would read as the benchmark's own size.)
enum ChildProcess {
    static let timeBinary = "/usr/bin/time"

    /// Runs `commandLine` with `/bin/sh -c`; the command line does its own redirections (stdout must go to a file:
    /// GNU grep with stdout on /dev/null stops at the first match).
    static func run(_ commandLine: String) throws -> ChildRun {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("bench-time-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let arguments = [timeBinary, "-f", "%M %U %S", "-o", report, "/bin/sh", "-c", commandLine]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        guard posix_spawn(&pid, timeBinary, nil, nil, argv, environ) == 0 else {
            throw BenchError.spawnFailed(commandLine)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BenchError.failed("waitpid failed for \(commandLine)") }
        }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        // GNU time writes "Command exited with non-zero status N" before the format line when the child fails.
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        guard let figures = text.split(separator: "\n").last?.split(separator: " "), figures.count == 3,
            let rss = Int(figures[0]), let user = Double(figures[1]), let system = Double(figures[2])
        else { throw BenchError.failed("no figures from \(timeBinary) for: \(commandLine)\n\(text)") }
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ChildRun(seconds: seconds, cpuSeconds: user + system, peakRSSKiB: rss, exitStatus: exitStatus)
    }

    /// Runs `commandLine`, failing unless it exits with one of `allowed`.
    @discardableResult
    static func check(_ commandLine: String, allowing allowed: Set<Int32> = [0]) throws -> ChildRun {
        let result = try run(commandLine)
        guard allowed.contains(result.exitStatus) else {
            throw BenchError.failed("exit \(result.exitStatus): \(commandLine)")
        }
        return result
    }
}

/// The median of several runs of one command (by wall time; CPU and RSS are medians of their own).
struct Measurement {
    var runs: [ChildRun]

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    var seconds: Double { median(runs.map(\.seconds)) }
    var cpuSeconds: Double { median(runs.map(\.cpuSeconds)) }
    var peakRSSMiB: Double { median(runs.map { Double($0.peakRSSKiB) / 1024 }) }
    var maxPeakRSSMiB: Double { runs.map { Double($0.peakRSSKiB) / 1024 }.max() ?? 0 }

    /// Runs `prepare` then the command `count` times; every run must exit with an allowed status.
    static func repeated(
        _ count: Int, allowing allowed: Set<Int32> = [0], prepare: () throws -> Void = {}, _ commandLine: String
    ) throws -> Measurement {
        var runs: [ChildRun] = []
        for _ in 0..<count {
            try prepare()
            runs.append(try ChildProcess.check(commandLine, allowing: allowed))
        }
        return Measurement(runs: runs)
    }

    /// One command of `interleaved`: what to do before each run, the command, the exit statuses it may end with.
    struct Step {
        var prepare: () throws -> Void = {}
        var commandLine: String
        var allowed: Set<Int32> = [0]
    }

    /// Runs the steps in turn, `count` rounds: a ratio of two commands is then measured under the same load, not
    /// under whatever load each met in its own block of runs. One measurement per step, in order.
    static func interleaved(_ count: Int, _ steps: [Step]) throws -> [Measurement] {
        var runs = Array(repeating: [ChildRun](), count: steps.count)
        for _ in 0..<count {
            for (index, step) in steps.enumerated() {
                try step.prepare()
                runs[index].append(try ChildProcess.check(step.commandLine, allowing: step.allowed))
            }
        }
        return runs.map { Measurement(runs: $0) }
    }
}

/// Quotes a path for `/bin/sh`.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
