import ArgumentParser
import Foundation
import Logging
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc bench scale`: analyze's throughput with 1, 2 and 4 replicas as separate
/// processes in one consumer group (3 brokers, 6 partitions), and each replica's peak RSS.
struct ScaleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Analyze throughput with 1, 2 and 4 replicas as processes, and the peak RSS of each.")

    @Option(help: "Transcripts per run.")
    var transcripts = 20_000

    @Option(help: "Replica counts, one run each, comma-separated.")
    var replicas = "1,2,4"

    @Option(help: "Folder for PostgreSQL.")
    var dir = ".voc-bench-scale"

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench-scale")
        let counts = replicas.split(separator: ",").compactMap { Int($0) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...6).contains($0) }) else {
            throw ValidationError("--replicas: counts from 1 to 6 (the partition count), e.g. 1,2,4")
        }
        let executable = ProcessPipeline.executablesFolder.appendingPathComponent("voc-analyze").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("\(executable) is missing: build it (swift build -c release) first")
        }
        let folder = URL(fileURLWithPath: dir).standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stack = try DevStack.start(in: folder, postgresPort: 55442, brokers: 3, logger: logger)
        defer { stack.stop() }
        let broker = stack.broker

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: logger)
        let publisher = EventPublisher(producer: producer, source: "/bench/transcribe")
        let texts = DemoDay.texts.values.flatMap { $0 }
        var receipts: [DeliveryReceipt] = []
        for index in 0..<transcripts {
            let (language, text) = texts[index % texts.count]
            let transcript = TranscriptReady(
                transcriptId: "scale-\(index)", interactionId: "scale-i-\(index)", customerId: "C-\(index % 5_000)", channel: .chat,
                businessLine: DemoDay.businessLines[index % DemoDay.businessLines.count], occurredAt: Date(), language: language,
                utterances: [.init(speaker: .customer, text: "\(text) 单号\(index)", confidence: 1)],
                engine: .init(name: "passthrough", version: "1"), producedAt: Date())
            receipts.append(try publisher.enqueue(try publisher.encode(transcript, key: Array(transcript.customerId.utf8))))
        }
        for receipt in receipts { _ = try await receipt.delivered() }
        print("analyze as processes: \(transcripts) transcripts on 6 partitions, 3 brokers; \(ProcessInfo.processInfo.activeProcessorCount) cores")

        for count in counts {
            let run = "scale\(count)_\(UInt32.random(in: 0...UInt32.max))"
            try stack.postgres.createDatabase(run)
            try stack.postgres.provisionRoles(database: run)
            var store = stack.store
            store.database = run
            let before = try await endOffsets(broker.bootstrap, logger: logger)
            let started = ContinuousClock.now
            let processes = try (0..<count).map { index in
                var environment = ProcessInfo.processInfo.environment
                environment["VOC_KAFKA_BROKERS"] = broker.bootstrap
                environment["VOC_POSTGRES_URL"] = store.serverURL
                environment["VOC_ANALYZE_GROUP"] = "bench-\(run)"
                environment["VOC_HTTP_PORT"] = "\(19_300 + index)"
                environment["VOC_LOG_LEVEL"] = "error"
                guard let process = SpawnedProcess([executable], environment: environment,
                                                   outputPath: folder.appendingPathComponent("\(run)-\(index).log").path, ownGroup: true) else {
                    throw ValidationError("cannot start \(executable)")
                }
                return process
            }
            var produced = 0
            var firstAt: ContinuousClock.Instant?
            while produced < transcripts, ContinuousClock.now - started < .seconds(600) {
                try await Task.sleep(for: .milliseconds(100))
                produced = try await endOffsets(broker.bootstrap, logger: logger) - before
                if produced > 0 && firstAt == nil { firstAt = ContinuousClock.now }
            }
            let finished = ContinuousClock.now
            let peaks = processes.map { Self.peakResidentMegabytes(pid: $0.pid) }
            for process in processes { await SupervisedProcess.stop(process) }
            let flowing = (finished - (firstAt ?? started)).seconds
            let line = String(format: "  %d replica%@: %6.0f insights/s (first to last insight, %.1f s; %.1f s with start-up), peak RSS %@ MiB",
                              count, count == 1 ? " " : "s", Double(produced) / max(flowing, 0.001), flowing, (finished - started).seconds,
                              peaks.map { "\($0)" }.joined(separator: " / "))
            print(produced < transcripts ? line + "  (only \(produced) of \(transcripts) within 600 s)" : line)
        }
    }

    private func endOffsets(_ bootstrap: String, logger: Logger) async throws -> Int {
        let topic = KafkaAdmin.TopicInfo(name: Topic.insightProduced.rawValue, partitions: Topic.insightProduced.defaultPartitions)
        let lags = try await KafkaAdmin.lag(group: "voc-bench-scale", topics: [topic], bootstrap: bootstrap, logger: logger)
        return Int(lags.reduce(Int64(0)) { $0 + $1.end })
    }

    /// VmHWM from /proc: the most memory the process held at once.
    static func peakResidentMegabytes(pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kilobytes / 1024
    }
}
