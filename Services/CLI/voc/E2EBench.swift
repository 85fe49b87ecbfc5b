import ArgumentParser
import Foundation
import Logging
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc bench e2e`: the whole pipeline as separate processes (as `voc chaos` runs it, with
/// no faults), fed text interactions of every channel at a steady rate; latencies are read
/// from the records' timestamps on the topics, followed while the load runs, and from the read model.
struct E2EBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Accepted → insight, → customer 360, → owner notified through every service as its own process; RSS and CPU per service.",
        discussion: """
            Starts PostgreSQL, the embedded broker (three brokers) and the six services as \
            supervised processes, gives the 997 customers the feeder spreads over an advisor \
            and a relationship manager, warms the pipeline up, then feeds --rate text \
            interactions a second for --seconds (NDJSON batches of 100; chat, app feedback, \
            e-mail, hotline, video and advisor calls as text), following the topics as they \
            fill. When every consumer group has caught up it reads the timeline's apply-once \
            rows and prints p50/p99/max of each \
            hop, every service's peak and last RSS and CPU seconds, and writes report.json \
            and latency.svg to --report.
            """)

    @Option(help: "Interactions per second.")
    var rate = 1_000

    @Option(help: "Seconds of load.")
    var seconds = 600

    @Option(help: "Folder for report.json and latency.svg.")
    var report = ".voc/bench-e2e"

    @Option(help: "First of eight consecutive ports (PostgreSQL, then the services).")
    var basePort = 27_500

    @Option(help: "Seconds to wait for every consumer group to catch up after the load.")
    var drainSeconds = 300

    @Option(help: "Partitions of each pipeline topic. The embedded broker keeps only the newest few megabytes of a partition, so a long run needs more of them for a group that falls behind not to find its records gone.")
    var partitions = Topic.interactionReceived.defaultPartitions

    @Option(help: "Folder for PostgreSQL's data and the services' logs (default: a new temporary folder, removed unless --keep).")
    var dir: String?

    @Flag(help: "Keep the folder (logs in DIR/logs) after the run.")
    var keep = false

    func validate() throws {
        guard rate > 0, seconds > 0, drainSeconds > 0, partitions > 0 else {
            throw ValidationError("--rate, --seconds, --drain-seconds and --partitions must be positive")
        }
    }

    func run() async throws {
        Observability.bootstrap(logLevel: "warning")
        let logger = Logger(label: "voc-bench-e2e")
        let console = try ProcessRunConsole(dir: dir, keep: keep, name: "voc-bench-e2e")
        defer { console.cleanUp() }
        let (folder, say) = (console.folder, console.say)
        // Text channels only: the speech engine would load its model for nothing.
        let processes = try await ProcessStack.start(
            in: folder, basePort: basePort, logLevel: ProcessInfo.processInfo.environment["VOC_LOG_LEVEL"] ?? "warning",
            speechEngine: false, partitions: partitions, logger: logger)
        say("pipeline starting: \(processes.supervisors.map(\.name).joined(separator: ", ")) (logs in \(folder.path)/logs)")
        let result = try await processes.run(logger: logger) {
            try await self.measure(processes, logger: logger, say: say)
        }
        let reportFolder = URL(fileURLWithPath: report).standardizedFileURL
        try result.write(to: reportFolder)
        print(result.text)
        print("report: \(reportFolder.appendingPathComponent("report.json").path), chart: \(reportFolder.appendingPathComponent("latency.svg").path)")
    }

    private func measure(_ processes: ProcessStack, logger: Logger, say: @escaping @Sendable (String) -> Void) async throws -> E2EResult {
        let (url, key, connection) = (processes.ingestURL, processes.gatewayKey, processes.connection)
        try await E2EWarmUp.owners(url: url, key: key)
        say("\(ChaosFeeder.customers) customers given an advisor and a relationship manager")
        try await E2EWarmUp.untilNotified(url: url, key: key, connection: connection, logger: logger, say: say)

        // This process holds the embedded broker as well as the feeder: shown, not a service.
        let sampler = ResourceSampler(supervisors: processes.supervisors, including: [("voc bench (embedded broker, feeder)", getpid())])
        let feeder = ChaosFeeder(baseURL: url, key: key, total: rate * seconds, perSecond: rate,
                                 deadline: .now + .seconds(seconds + drainSeconds))
        say("feeding \(rate * seconds) interactions at \(rate)/s for \(seconds) s")
        let follower = try TopicFollower<E2EObserved>(connection: connection, name: "e2e", logger: logger)
        let feedStarted = Date()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await sampler.run() }
            tasks.addTask { try await follower.run() }
            try await feeder.run()
            say("feeder done: \(feeder.accepted.withLock { $0.count }) accepted, \(feeder.retries.load(ordering: .relaxed)) retries")
            try await ChaosDrain.wait(connection: connection, seconds: drainSeconds, logger: logger, say: say)
            sampler.stop()
            try await follower.catchUp()
            follower.stop()
            try await tasks.waitForAll()
        }
        let accepted = feeder.accepted.withLock { $0 }
        say("reading the timeline's apply-once rows")
        let marks = try await E2EMarks.read(accepted: accepted, observed: follower.result, store: processes.stack.store, logger: logger)
        return E2EResult(rate: rate, seconds: seconds, sent: rate * seconds, accepted: accepted.count,
                         rejected: feeder.rejected.withLock { $0.count }, feedStarted: feedStarted,
                         marks: marks, resources: sampler.usage(), cores: ProcessInfo.processInfo.activeProcessorCount)
    }
}
