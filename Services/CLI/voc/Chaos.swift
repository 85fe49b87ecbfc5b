import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc chaos`: the whole pipeline as separate processes on the embedded broker, fed
/// interactions while faults hit it in turn, then reconciled as `voc verify` does.
struct Chaos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Feed interactions through every service as its own process while faults are injected; prove nothing was lost or doubled.",
        discussion: """
            In turn: broker 2 down with every partition leader moved; Produce, Fetch and \
            OffsetCommit requests failing; PostgreSQL stopped and started; analyze and route \
            killed with SIGKILL; the speech engine killed while recordings wait for it. \
            Poison records and exact copies of accepted records are put on the topics. When \
            every consumer group has caught up it prints, per stage, in / out / \
            dead-lettered / lost / doubled, and checks every poison record was dead-lettered \
            with its reason. Exits 1 on any loss, doubling or missing dead letter.
            """)

    @Option(help: "Interactions to feed (NDJSON batches of 100).")
    var interactions = 100_000

    @Option(help: "Interactions per second.")
    var rate = 1_000

    @Option(help: "Length of each fault in seconds (a recovery pause of half of it follows).")
    var faultSeconds = 30

    @Option(help: "Recorded calls sent before the speech engine is killed (0: that fault is skipped).")
    var recordings = 4

    @Option(help: "Poison records put on the topics.")
    var poison = 8

    @Option(help: "Accepted records put on their topic a second time, byte for byte.")
    var duplicates = 200

    @Option(help: "Folder for PostgreSQL's data and the logs (default: a new temporary folder, removed unless --keep).")
    var dir: String?

    @Flag(help: "Keep the folder (logs in DIR/logs) after the run.")
    var keep = false

    @Option(help: "First of eight consecutive ports (PostgreSQL, then the services).")
    var basePort = 27_400

    @Option(help: "Seconds to wait for every consumer group to catch up after the last fault.")
    var drainSeconds = 600

    @Option(help: "Partitions of each pipeline topic. The embedded broker keeps only the newest few megabytes of a partition, so a long run needs more of them for a group that falls behind not to find its records gone.")
    var partitions = Topic.interactionReceived.defaultPartitions

    func validate() throws {
        guard interactions > 0, rate > 0, partitions > 0, faultSeconds >= 2, recordings >= 0, poison >= 0, duplicates >= 0 else {
            throw ValidationError("--interactions, --rate and --partitions must be positive, --fault-seconds at least 2, the counts not negative")
        }
    }

    func run() async throws {
        Observability.bootstrap(logLevel: "warning")
        let logger = Logger(label: "voc-chaos")
        let console = try ProcessRunConsole(dir: dir, keep: keep, name: "voc-chaos")
        defer { console.cleanUp() }
        let (folder, say) = (console.folder, console.say)

        let processes = try await ProcessStack.start(
            in: folder, basePort: basePort, logLevel: ProcessInfo.processInfo.environment["VOC_LOG_LEVEL"] ?? "warning",
            partitions: partitions, logger: logger)
        say("pipeline starting: \(processes.supervisors.map(\.name).joined(separator: ", ")) (logs in \(folder.path)/logs)")
        let outcome = try await processes.run(logger: logger) {
            try await self.scenario(processes, logger: logger, say: say)
        }
        print(outcome.report)
        if !outcome.clean { throw ExitCode.failure }
    }

    private func scenario(_ processes: ProcessStack, logger: Logger, say: @escaping @Sendable (String) -> Void) async throws -> ChaosOutcome {
        let (stack, pipeline, folder, key) = (processes.stack, processes.pipeline, processes.folder, processes.gatewayKey)
        let engineMissing = pipeline.transcribe.local.missingPieces
        let connection = processes.connection
        let injector = try ChaosInjector(connection: connection, logger: logger)
        let baseURL = processes.ingestURL
        let feeder = ChaosFeeder(baseURL: baseURL, key: key, total: interactions, perSecond: rate,
                                 deadline: .now + .seconds(Double(interactions) / Double(rate) + Double(drainSeconds)))
        say("feeding \(interactions) interactions at \(rate)/s")
        let faults = ChaosFaults(broker: stack.broker, postgres: stack.postgres, supervisors: processes.supervisors,
                                 speechEnginePort: pipeline.transcribe.local.port, seconds: faultSeconds, say: say)
        // The topics are followed while the run produces them: a long run outgrows what the
        // embedded broker keeps of a partition, so they cannot all be read back at the end.
        let follower = try TopicFollower<VerifyEvidence>(connection: connection, name: "chaos", logger: logger)
        let store = Store(configuration: stack.store, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { background in
            background.addTask { try await follower.run() }
            background.addTask { try await store.run() }
            defer { follower.stop(); background.cancelAll() }
            var sentRecordings = 0
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    try await feeder.run()
                    say("feeder done: \(feeder.accepted.withLock { $0.count }) accepted, \(feeder.retries.load(ordering: .relaxed)) retries")
                }
                try await Task.sleep(for: .seconds(3))
                try await injector.poison(poison)
                say("\(poison) poison records put on \(Topic.interactionReceived.rawValue) and \(Topic.transcriptReady.rawValue)")
                let copied = try await injector.duplicate(duplicates, of: Topic.interactionReceived)
                say("\(copied) accepted records put on \(Topic.interactionReceived.rawValue) again, byte for byte")
                try await faults.runAll {
                    guard recordings > 0 else { return }
                    if let engineMissing {
                        say("recordings skipped: the speech engine is not installed (\(engineMissing))")
                        return
                    }
                    sentRecordings = try await ChaosRecordings.send(recordings, to: baseURL, key: key, folder: folder, feeder: feeder)
                    say("\(sentRecordings) recorded calls accepted")
                }
                try await tasks.waitForAll()
            }
            say("waiting for every consumer group to catch up")
            try await ChaosDrain.wait(connection: connection, seconds: drainSeconds, logger: logger, say: say)
            // Caught-up groups can still have a batch in hand (read, not yet committed):
            // a few more looks before an id counts as lost.
            var outcome: ChaosOutcome
            var look = 1
            repeat {
                try await follower.catchUp()
                let evidence = follower.result
                outcome = ChaosOutcome(accepted: feeder.accepted.withLock { $0 }, rejected: feeder.rejected.withLock { $0 },
                                       reconciliation: try await Verify.reconcile(evidence, store: store),
                                       poison: injector.injected.withLock { $0 }, deadLetters: evidence.deadLetters)
                if outcome.clean || look == 4 { break }
                look += 1
                try await Task.sleep(for: .seconds(5))
            } while true
            return outcome
        }
    }
}

/// What the run proved, or did not.
struct ChaosOutcome {
    var accepted: Set<String>
    var rejected: [String]
    var reconciliation: Reconciliation
    var poison: [ChaosInjector.Poison]
    var deadLetters: [DeadLetter]

    /// Ingest's answer against the topic: every interaction answered `202` is on it.
    var ingest: Reconciliation.Stage {
        let onTopic = reconciliation.stages.first { $0.name == "transcribe" }?.input ?? []
        return .init(name: "ingest", input: accepted, outputs: Dictionary(onTopic.map { ($0, [$0]) }) { $0.union($1) },
                     deadLettered: [])
    }

    /// Poison records without a dead letter from every stage that reads their topic.
    var poisonMissed: [String] {
        poison.flatMap { item in
            item.stages.compactMap { stage in
                deadLetters.contains { letter in
                    letter.originalTopic == item.topic && letter.key.flatMap { Data(base64Encoded: $0) } == Data(item.key.utf8)
                        && Verify.stageName(letter.stage) == stage && !letter.error.isEmpty
                } ? nil : "\(item.key) (\(item.kind)) on \(item.topic): no dead letter from \(stage)"
            }
        }
    }

    var clean: Bool {
        Reconciliation(stages: [ingest] + reconciliation.stages).clean && rejected.isEmpty && poisonMissed.isEmpty
    }

    var report: String {
        var lines = [Reconciliation(stages: [ingest] + reconciliation.stages).report()]
        lines.append("poison: \(poison.count) records, \(poison.count - Set(poisonMissed.map { $0.split(separator: " ")[0] }).count) dead-lettered by every stage that reads them")
        lines += poisonMissed.map { "  missed: \($0)" }
        if !rejected.isEmpty {
            lines.append("not accepted by ingest: \(rejected.count)")
            lines += rejected.prefix(10).map { "  \($0)" }
        }
        lines.append(clean ? "chaos: lost 0, doubled 0, every poison record dead-lettered" : "chaos: FAILED")
        return lines.joined(separator: "\n")
    }
}
