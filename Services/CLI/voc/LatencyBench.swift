import Analyze
import ArgumentParser
import Foundation
import Ingest
import Logging
import Projector
import ServiceLifecycle
import Synchronization
import Transcribe
import VOCBlob
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc bench latency`: the stack of `voc up` in this process, text interactions over
/// HTTP at fixed rates, and for each the time from ingest's `202` to its insight on
/// `voc.insight.produced.v1`, seen by a consumer of its own.
struct LatencyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency", abstract: "202 → insight latency of text interactions through voc up's stack, per rate.")

    @Option(help: "Seconds of load per rate.")
    var seconds: Int = 10

    @Option(help: "Interactions per second, one phase per rate, comma-separated.")
    var rates: String = "20,200"

    @Option(help: "Concurrent HTTP connections sending (open loop: requests start on schedule).")
    var connections: Int = 16

    @Option(help: "Seconds to wait after a phase for insights still on their way.")
    var grace: Int = 10

    func run() async throws {
        let reader = try await Settings.reader()
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench")
        let rateList = rates.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        guard !rateList.isEmpty else { throw ValidationError("--rates needs at least one positive number") }

        let port = 19_000 + Int.random(in: 0..<2000)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("voc-latency-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let stack = try DevStack.start(in: work, postgresPort: port + 1, brokers: 3, logger: logger)
        defer { stack.stop() }
        let broker = stack.broker
        // Environment settings (VOC_KAFKA_PROPERTIES, …) apply, so tuning can be measured.
        var common = CommonSettings(config: reader)
        common.kafkaBrokers = broker.bootstrap

        // The services of `voc up`, configured as it configures them; no gateway keys
        // (X-Gateway-Id is trusted) and no speech server: text needs none.
        var pipeline = try PipelineServices(
            reader: reader, common: common, store: stack.store, folder: work, host: "127.0.0.1",
            ports: .init(ingest: port, projector: port + 2, analyze: port + 3, transcribe: port + 4, route: port + 5, notify: port + 6))
        pipeline.ingest.keysFile = nil
        pipeline.transcribe.local.supervise = false
        let group = ServiceGroup(services: try pipeline.build(), logger: logger)

        let observer = try LatencyObserver(common: common, logger: logger)
        var phases: [LatencyPhase] = []
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { try await observer.run() }
            guard await waitUntilListening(port: port, attempts: 200) else {
                throw ValidationError("ingest did not start on port \(port)")
            }
            try await warmUp(port: port, observer: observer)
            for rate in rateList {
                let sent = try await offPool { [connections, seconds] in
                    try LatencyLoad(port: port, rate: rate, seconds: seconds, connections: connections).run()
                }
                let deadline = ContinuousClock.now + .seconds(grace)
                while ContinuousClock.now < deadline && !observer.allSeen(sent.accepted) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                phases.append(LatencyPhase(rate: rate, load: sent, marks: observer.marks(sent.accepted.map(\.id))))
            }
            observer.stop()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        withExtendedLifetime(broker) {}

        let overrides = common.kafkaProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        var report = """

            202 → insight latency (voc up's stack in one process: ingest, transcribe, analyze, projector; embedded broker, 3 brokers; \(ProcessInfo.processInfo.activeProcessorCount) cores shared by all)
              text interactions over HTTP, open loop, \(connections) connections; kafka.properties: \(overrides.isEmpty ? "(defaults)" : overrides)

            """
        for phase in phases { report += phase.summary(seconds: seconds) }
        print(report)
    }

    /// Sends an interaction every 100 ms until one comes out as an insight: every
    /// consumer group has joined and every producer has its id.
    private func warmUp(port: Int, observer: LatencyObserver) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            let load = try await offPool { try LatencyLoad(port: port, rate: 10, seconds: 1, connections: 2).run() }
            let settled = ContinuousClock.now + .seconds(3)
            while ContinuousClock.now < settled && !observer.allSeen(load.accepted) {
                try await Task.sleep(for: .milliseconds(50))
            }
            if !load.accepted.isEmpty && observer.allSeen(load.accepted) {
                return
            }
        }
        throw ValidationError("no insight came out of the pipeline within 90 s")
    }

}

/// Milliseconds since the epoch, as precise as the clock: Kafka record timestamps
/// are on the same clock.
func wallClockMilliseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
}

/// Sends `rate` text interactions per second for `seconds`, each on its schedule,
/// from `connections` threads, and notes when each got its `202`.
struct LatencyLoad: Sendable {
    var port: Int
    var rate: Int
    var seconds: Int
    var connections: Int

    struct Accepted: Sendable {
        var id: String
        var acceptedAtMs: Double
        var requestMs: Double
    }

    struct Result: Sendable {
        var accepted: [Accepted] = []
        var refused = 0
        var failed = 0
    }

    func run() throws -> Result {
        let total = rate * seconds
        let next = Atomic<Int>(0)
        let result = Mutex(Result())
        let done = DispatchSemaphore(value: 0)
        let start = wallClockMilliseconds() + 20
        let interval = 1000 / Double(rate)
        let body = #"{"customerId":"C%07d","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？请尽快帮我退回，谢谢。"}"#
        let port = self.port
        for _ in 0..<connections {
            Thread {
                defer { done.signal() }
                var connection = try? PlainHTTPConnection(port: port)
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    if index >= total { return }
                    let due = start + Double(index) * interval
                    let wait = due - wallClockMilliseconds()
                    if wait > 0 { usleep(UInt32(wait * 1000)) }
                    let sentAt = wallClockMilliseconds()
                    do {
                        if connection == nil { connection = try PlainHTTPConnection(port: port) }
                        let response = try connection!.post(
                            path: "/v1/interactions",
                            headers: [("Content-Type", "application/json"), ("X-Gateway-Id", "bench")],
                            body: Array(String(format: body, index % 50_000).utf8))
                        let acceptedAt = wallClockMilliseconds()
                        let answer = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                        if response.status == 202, let id = answer?["interactionId"] as? String {
                            result.withLock { $0.accepted.append(Accepted(id: id, acceptedAtMs: acceptedAt, requestMs: acceptedAt - sentAt)) }
                        } else {
                            result.withLock { $0.refused += 1 }
                        }
                    } catch {
                        connection = nil
                        result.withLock { $0.failed += 1 }
                    }
                }
            }.start()
        }
        for _ in 0..<connections { done.wait() }
        return result.withLock { $0 }
    }
}

/// When the interaction, its transcript and its insight were produced and seen.
struct LatencyMarks: Sendable {
    var interactionSeenMs: Double?
    var transcriptProducedMs: Double?
    var insightProducedMs: Double?
    var insightSeenMs: Double?
}

/// A consumer of the three topics of a text interaction's way, noting per interaction
/// when each record was produced (its timestamp) and seen.
final class LatencyObserver: Sendable {
    private let consumer: KafkaConsumer
    private let running = Atomic<Bool>(true)
    private let seen = Mutex<[String: LatencyMarks]>([:])

    init(common: CommonSettings, logger: Logger) throws {
        // A consumer like the projector: the pipeline's consumer defaults and kafka.properties.
        consumer = try KafkaConsumer(
            configuration: common.consumerConfiguration(group: "voc-bench-latency", clientID: "voc-bench"),
            topics: [Topic.interactionReceived.rawValue, Topic.transcriptReady.rawValue, Topic.insightProduced.rawValue],
            logger: logger)
    }

    func run() async throws {
        while running.load(ordering: .relaxed) {
            let records = try await consumer.poll(maxRecords: 1000, timeout: .milliseconds(100))
            let now = wallClockMilliseconds()
            for record in records {
                let produced = record.timestampMs.map(Double.init)
                switch record.topic {
                case Topic.interactionReceived.rawValue:
                    guard let (event, _) = try? record.decode(InteractionReceived.self) else { continue }
                    seen.withLock { $0[event.interactionId, default: LatencyMarks()].interactionSeenMs = now }
                case Topic.transcriptReady.rawValue:
                    guard let (event, _) = try? record.decode(TranscriptReady.self) else { continue }
                    seen.withLock { $0[event.interactionId, default: LatencyMarks()].transcriptProducedMs = produced }
                default:
                    guard let (event, _) = try? record.decode(InsightProduced.self) else { continue }
                    seen.withLock { marks in
                        marks[event.interactionId, default: LatencyMarks()].insightProducedMs = produced
                        marks[event.interactionId, default: LatencyMarks()].insightSeenMs = now
                    }
                }
            }
        }
        await consumer.close()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
    }

    func allSeen(_ accepted: [LatencyLoad.Accepted]) -> Bool {
        seen.withLock { marks in accepted.allSatisfy { marks[$0.id]?.insightSeenMs != nil } }
    }

    func marks(_ ids: [String]) -> [String: LatencyMarks] {
        seen.withLock { marks in Dictionary(uniqueKeysWithValues: ids.map { ($0, marks[$0] ?? LatencyMarks()) }) }
    }
}

/// One rate's figures.
struct LatencyPhase {
    var rate: Int
    var load: LatencyLoad.Result
    var marks: [String: LatencyMarks]

    func summary(seconds: Int) -> String {
        var endToEnd: [Double] = [], fetchOnly: [Double] = [], transcribe: [Double] = [], analyze: [Double] = [], last: [Double] = []
        var lost = 0
        for accepted in load.accepted {
            let mark = marks[accepted.id] ?? LatencyMarks()
            guard let insightSeen = mark.insightSeenMs else {
                lost += 1
                continue
            }
            endToEnd.append(insightSeen - accepted.acceptedAtMs)
            if let seen = mark.interactionSeenMs { fetchOnly.append(seen - accepted.acceptedAtMs) }
            if let transcript = mark.transcriptProducedMs { transcribe.append(transcript - accepted.acceptedAtMs) }
            if let transcript = mark.transcriptProducedMs, let insight = mark.insightProducedMs { analyze.append(insight - transcript) }
            if let insight = mark.insightProducedMs { last.append(insightSeen - insight) }
        }
        func figures(_ values: [Double]) -> String {
            guard !values.isEmpty else { return "-" }
            let sorted = values.sorted()
            func at(_ q: Double) -> String { String(format: "%.0f", sorted[Int((q * Double(sorted.count - 1)).rounded(.up))]) }
            return "p50 \(at(0.5)) ms   p99 \(at(0.99)) ms   max \(at(1)) ms"
        }
        let requests = load.accepted.map(\.requestMs)
        return """
              \(rate)/s for \(seconds) s: \(load.accepted.count) accepted (202), \(load.refused) refused, \(load.failed) failed; insights \(endToEnd.count), lost \(lost)
                202 → insight seen                      \(figures(endToEnd))
                  202 → transcript produced (hop 1)     \(figures(transcribe))
                  transcript → insight produced (hop 2) \(figures(analyze))
                  insight produced → seen               \(figures(last))
                202 → interaction seen (fetch only)     \(figures(fetchOnly))
                POST → 202                              \(figures(requests))

            """
    }
}
