import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Notify
import ServiceLifecycle
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc bench notify`: the notify service of `voc up` against a local webhook receiver in
/// this process. Measures deliveries per second with a backlog, then request → delivered
/// latency at half that rate, then the same with one more endpoint that never answers.
struct NotifyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Webhook deliveries/s and request → delivered latency (healthy and with one endpoint hanging).")

    @Option(help: "Requests in the backlog of the throughput phase.")
    var backlog: Int = 4000

    @Option(help: "Seconds of each fixed-rate phase.")
    var seconds: Int = 5

    @Option(help: "Webhook endpoints (each its own lane) the load is spread over.")
    var endpoints: Int = 16

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench")
        let port = 21_000 + Int.random(in: 0..<2000)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("voc-notify-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let stack = try DevStack.start(in: work, postgresPort: port + 1, brokers: 1, logger: logger)
        defer { stack.stop() }
        let secret = "whsec_" + Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let receiverPort = port + 2
        var recipients: [[String: Any]] = (0..<endpoints).map {
            ["id": "HOOK-\($0)", "webhook": ["url": "http://127.0.0.1:\(receiverPort)/hook/\($0)", "secrets": [secret]]]
        }
        recipients.append(["id": "HANG", "webhook": ["url": "http://127.0.0.1:\(receiverPort)/hang", "secrets": [secret]]])
        let directory = work.appendingPathComponent("directory.json")
        try JSONSerialization.data(withJSONObject: ["recipients": recipients]).write(to: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.path)  // notify refuses it otherwise

        var common = CommonSettings(kafkaBrokers: stack.broker.bootstrap)
        common.logLevel = "error"
        let notify = NotifyConfiguration(
            common: common, store: stack.store, http: HTTPSettings(port: port + 3), directoryFile: directory.path,
            retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(200), maxBackoff: .seconds(1)),
            requestTimeout: .seconds(2), dispatch: DispatchSettings(maxLanes: 64))
        let router = Router()
        router.post("/hook/:n") { _, _ in Response(status: .noContent) }
        router.post("/hang") { _, _ -> Response in
            try await Task.sleep(for: .seconds(30))
            return Response(status: .noContent)
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: receiverPort)),
                                   logger: logger)
        let group = ServiceGroup(services: [receiver, try NotifyApp.build(configuration: notify, logger: logger)], logger: logger)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: stack.broker.bootstrap), logger: logger)
        let publisher = EventPublisher(producer: producer, source: "/bench/notify")
        let observer = try DeliveryObserver(bootstrap: stack.broker.bootstrap, logger: logger)

        var lines: [String] = []
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { try await observer.run() }
            let load = BenchLoad(publisher: publisher, observer: observer, endpoints: endpoints)
            _ = try await load.burst(prefix: "warm", count: endpoints * 4, deadline: .seconds(60))
            let throughput = try await load.burst(prefix: "backlog", count: backlog, deadline: .seconds(120))
            lines.append(String(format: "  backlog of %d: %.0f deliveries/s (first request → last outcome %.2f s)",
                                backlog, Double(throughput.delivered) / throughput.seconds, throughput.seconds))
            let half = max(1, Int(Double(throughput.delivered) / throughput.seconds / 2))
            let healthy = try await load.steady(prefix: "half", rate: half, seconds: seconds, hangingPerSecond: 0)
            lines.append("  \(half)/s healthy:        " + healthy.summary)
            let hanging = try await load.steady(prefix: "hang", rate: half, seconds: seconds, hangingPerSecond: 5)
            lines.append("  \(half)/s + hanging (5/s): " + hanging.summary + " (healthy endpoints only)")
            observer.stop()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        withExtendedLifetime(stack.broker) {}
        print("""

            notify: webhook deliveries to a local receiver (voc-notify in one process with it; embedded broker, 1 broker; \
            PostgreSQL; \(ProcessInfo.processInfo.activeProcessorCount) cores shared by all; \(endpoints) endpoints)
            \(lines.joined(separator: "\n"))
            """)
    }
}

/// Publishes requests and waits for their outcomes.
private struct BenchLoad: Sendable {
    let publisher: EventPublisher
    let observer: DeliveryObserver
    let endpoints: Int

    struct Burst {
        var delivered: Int
        var seconds: Double
    }

    struct Latencies {
        var milliseconds: [Double]
        var sent: Int

        var summary: String {
            let sorted = milliseconds.sorted()
            func at(_ share: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))] }
            return String(format: "%d/%d delivered, p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.count, sent, at(0.5), at(0.99),
                          sorted.last ?? .nan)
        }
    }

    func request(_ id: String, recipient: String) throws -> EncodedEvent {
        let json: [String: Any] = [
            "notificationId": id, "idempotencyKey": id, "recipient": ["role": "system", "id": recipient], "medium": "webhook",
            "title": "bench", "body": "bench", "requestedAt": Timestamp.format(Date()),
        ]
        let request = try JSONCoding.decoder().decode(NotificationRequested.self, from: JSONSerialization.data(withJSONObject: json))
        return try publisher.encode(request, key: Array(recipient.utf8))
    }

    func burst(prefix: String, count: Int, deadline: Duration) async throws -> Burst {
        let ids = (0..<count).map { "\(prefix)-\($0)-\(UUID().uuidString.prefix(8))" }
        let start = ContinuousClock.now
        var receipts: [DeliveryReceipt] = []
        for (index, id) in ids.enumerated() {
            observer.sent(id)
            receipts.append(try publisher.enqueue(try request(id, recipient: "HOOK-\(index % endpoints)")))
        }
        for receipt in receipts { _ = try await receipt.delivered() }
        while !observer.allSeen(ids) && ContinuousClock.now - start < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let last = observer.latestSeen(ids)
        let seconds = max(0.001, (last - observer.sentAt(ids[0])) / 1000)
        return Burst(delivered: observer.seenCount(ids), seconds: seconds)
    }

    func steady(prefix: String, rate: Int, seconds: Int, hangingPerSecond: Int) async throws -> Latencies {
        var ids: [String] = []
        let start = ContinuousClock.now
        let total = rate * seconds
        var hangingSent = 0
        for index in 0..<total {
            let due = start + .milliseconds(index * 1000 / rate)
            if ContinuousClock.now < due { try await Task.sleep(until: due) }
            let id = "\(prefix)-\(index)-\(UUID().uuidString.prefix(8))"
            ids.append(id)
            observer.sent(id)
            _ = try publisher.enqueue(try request(id, recipient: "HOOK-\(index % endpoints)"))
            if hangingPerSecond > 0 && index * hangingPerSecond / rate >= hangingSent {
                hangingSent += 1
                _ = try publisher.enqueue(try request("\(prefix)-hang-\(hangingSent)-\(UUID().uuidString.prefix(8))", recipient: "HANG"))
            }
        }
        let settle = ContinuousClock.now
        while !observer.allSeen(ids) && ContinuousClock.now - settle < .seconds(30) { try await Task.sleep(for: .milliseconds(10)) }
        return Latencies(milliseconds: observer.latencies(ids), sent: ids.count)
    }
}

/// Notes when each request was sent and when its outcome appeared on
/// `voc.notification.delivered.v1`, by wall clock.
private final class DeliveryObserver: Sendable {
    private let consumer: KafkaConsumer
    private let state = Mutex<(sent: [String: Double], seen: [String: Double], stopped: Bool)>(([:], [:], false))

    init(bootstrap: String, logger: Logger) throws {
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "bench-notify-\(UUID().uuidString)"),
            topics: [Topic.notificationDelivered.rawValue], logger: logger)
    }

    func run() async throws {
        while !state.withLock({ $0.stopped }) {
            let records = try await consumer.poll(maxRecords: 1000, timeout: .milliseconds(100))
            let now = wallClockMilliseconds()
            let ids = records.compactMap { try? $0.decode(NotificationDelivered.self).0 }.filter { $0.outcome == .delivered }.map(\.notificationId)
            state.withLock { state in for id in ids where state.seen[id] == nil { state.seen[id] = now } }
        }
        await consumer.close()
    }

    func stop() { state.withLock { $0.stopped = true } }
    func sent(_ id: String) { let now = wallClockMilliseconds(); state.withLock { $0.sent[id] = now } }
    func sentAt(_ id: String) -> Double { state.withLock { $0.sent[id] ?? 0 } }
    func allSeen(_ ids: [String]) -> Bool { state.withLock { state in ids.allSatisfy { state.seen[$0] != nil } } }
    func seenCount(_ ids: [String]) -> Int { state.withLock { state in ids.filter { state.seen[$0] != nil }.count } }
    func latestSeen(_ ids: [String]) -> Double { state.withLock { state in ids.compactMap { state.seen[$0] }.max() ?? 0 } }

    func latencies(_ ids: [String]) -> [Double] {
        state.withLock { state in ids.compactMap { id in state.seen[id].map { $0 - (state.sent[id] ?? $0) } } }
    }
}
