import Remote
import Detection
import Ingest
import Reading
import Store
import Foundation

/// One `watch`: a set of paths followed cycle after cycle. Each cycle ingests what is new (the ingester keeps a
/// checkpoint per file, so restarts resume and rotated or truncated files are noticed), then runs detection on the
/// schedule each rule describes.
public struct WatchSession: Sendable {
    public let database: AuditDatabase
    public let rules: RuleSet
    /// Files and folders to follow; folders are listed again every cycle, so new files are picked up.
    public let paths: [String]
    public let ingestOptions: Ingester.Options

    public init(database: AuditDatabase, rules: RuleSet, paths: [String], ingestOptions: Ingester.Options = .init()) {
        self.database = database
        self.rules = rules
        self.paths = paths
        self.ingestOptions = ingestOptions
    }

    /// The cycle length when `watch` is given none: the most frequent rule's interval (Elastic's 5m by default).
    public var defaultInterval: RuleDuration {
        rules.rules.map(\.interval).min() ?? DetectionRule.defaultInterval
    }

    /// Rules whose look-back is shorter than `interval`: a rule placing events by `@timestamp` could see events
    /// fall between two cycles' windows (they are deferred to a catch-up `detect`, not lost, but alert late).
    public func rulesLookingBackLessThan(_ interval: RuleDuration) -> [DetectionRule] {
        rules.rules.filter { ($0.lookBack.lookBack ?? .infinity) < interval.seconds }
    }

    /// Runs one cycle: ingest, then scheduled detection at clock `now` — by default the time ingest finished, so
    /// what this cycle stored (its `event.ingested` is the store time) lies inside every rule's window.
    public func runCycle(now: Date? = nil) throws -> WatchCycleResult {
        var problems: [ReadError] = []
        var sources: [InputSource] = []
        for path in paths {
            do {
                sources += try InputSource.expand([path])
            } catch let error as ReadError {
                problems.append(error)
            }
        }
        let ingest = try Ingester(database: database, interest: rules.eventInterest, options: ingestOptions)
            .ingest(sources)
        let clock = now ?? Date()
        let detection = try Detector(database: database, rules: rules).run(mode: .scheduled, now: clock, ranAt: Date())
        return WatchCycleResult(ingest: ingest, detection: detection, pathProblems: problems)
    }
}

/// What one watch cycle did.
public struct WatchCycleResult: Sendable {
    public var ingest: IngestSummary
    public var detection: DetectionRunResult
    /// Paths that could not be listed this cycle (a folder removed, a file not yet created).
    public var pathProblems: [ReadError]
    /// `watch --collect`: what the Management Activity API collection stored this cycle.
    public var collected: ActivityCollectSummary? = nil
    /// `watch --collect`: why this cycle's collection failed (the next cycle tries again from its checkpoints).
    public var collectFailure: String? = nil
}

extension WatchSession {
    /// `watch --collect`: a cycle that first collects from the Management Activity API, then reads the paths and
    /// runs detection as `runCycle` does. A failed collection does not stop the watch: it is reported in the result
    /// (`collectFailure`) and the next cycle resumes from the blob checkpoints, so nothing is lost meanwhile.
    public func runCycle(collecting collector: ActivityFeedCollector, now: Date? = nil) async throws -> WatchCycleResult {
        var collected: ActivityCollectSummary?
        var failure: String?
        do {
            collected = try await collector.run()
        } catch let error as ActivityFeedError {
            failure = error.description
        } catch let error as RemoteError {
            failure = "tenant \(collector.request.tenant): \(error)"
        }
        var result = try runCycle(now: now)
        result.collected = collected
        result.collectFailure = failure
        return result
    }
}
