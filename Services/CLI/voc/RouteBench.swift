import ArgumentParser
import Foundation
import Logging
import Route
import ServiceLifecycle
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc bench route`: insights routed per second, then insight → ticket event and
/// insight → owner notification latency at a paced rate, against the embedded broker
/// and the project's PostgreSQL.
struct RouteBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Insights routed/s and insight → ticket event / owner notification p50/p99.")

    @Option(help: "Insights waiting on the topic before route starts (throughput phase).")
    var insights: Int = 5_000

    @Option(help: "Insights per second in the latency phase; 0: half the measured throughput.")
    var rate: Int = 0

    @Option(help: "Seconds of the latency phase.")
    var seconds: Int = 10

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench")
        let port = 20_000 + Int.random(in: 0..<2000)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("voc-bench-route-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let stack = try DevStack.start(in: work, postgresPort: port + 1, brokers: 1, logger: logger)
        defer { stack.stop() }
        var common = CommonSettings(config: try await Settings.reader())
        common.kafkaBrokers = stack.broker.bootstrap
        let publisher = try EventPublisher(common: common, clientID: "bench-route", source: "/bench/analyze", logger: logger)

        // Every customer has both owners, so each insight yields a ticket event and an owner notification.
        try await send((0..<insights).map { try owners($0, publisher) }, publisher)
        let configuration = RouteConfiguration(common: common, store: stack.store, http: HTTPSettings(port: port),
                                               group: "voc-route-bench", outboxInterval: .milliseconds(5))
        let store = Store(configuration: stack.store, logger: logger)
        let group = ServiceGroup(services: [store, try RouteApp.build(configuration: configuration, logger: logger)], logger: logger)
        let observer = try Arrivals(bootstrap: stack.broker.bootstrap, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { try await observer.run() }
            // The owners first: the two topics are consumed independently.
            try await waitUntil(store, "SELECT count(*) FROM route_customers", equals: insights)
            let cpu = CPUTime.now()
            let sending = ContinuousClock.now
            try await send((0..<insights).map { try insight("t\($0)", $0, publisher) }, publisher)
            try await waitUntil(store, "SELECT count(*) FROM applied_events WHERE consumer = 'route.insights'", equals: insights)
            let wall = (ContinuousClock.now - sending) / .seconds(1)
            try await waitUntil(store, "SELECT count(*) FROM route_outbox WHERE sent_at IS NULL", equals: 0)
            let spent = CPUTime.now() - cpu
            let handled = try await store.rows(
                """
                SELECT count(*), COALESCE(EXTRACT(EPOCH FROM max(applied_at) - min(applied_at))::float8, 0)
                FROM applied_events WHERE consumer = 'route.insights'
                """, as: Int.self, Double.self).first ?? (0, 0)
            let published = try await store.rows(
                "SELECT COALESCE(EXTRACT(EPOCH FROM max(sent_at) - min(created_at))::float8, 0) FROM route_outbox",
                as: Double.self).first ?? 0
            let throughput = Double(handled.0) / max(handled.1, 0.001)
            print(String(format: "throughput   %d insights applied in %.2f s: %.0f insights/s (handler); %.0f insights/s to the last event acknowledged",
                         handled.0, handled.1, throughput, Double(handled.0) / max(published, 0.001)))
            print(String(format: "wall         %d insights sent and applied in %.2f s: %.0f insights/s (from the first send)",
                         insights, wall, Double(insights) / max(wall, 0.001)))
            print(String(format: "cpu          %.2f s of this process (route, the embedded broker, the bench producing them) for %d insights", spent.process, insights))

            let paced = rate > 0 ? rate : max(1, Int(throughput / 2))
            let latencyCustomers = insights..<(insights + paced * seconds)
            try await send(latencyCustomers.map { try owners($0, publisher) }, publisher)
            try await waitUntil(store, "SELECT count(*) FROM route_customers", equals: latencyCustomers.upperBound)
            var sentAt: [String: Double] = [:]
            let start = ContinuousClock.now
            var receipts: [DeliveryReceipt] = []
            for index in 0..<(paced * seconds) {
                try await Task.sleep(until: start + .seconds(Double(index) / Double(paced)))
                let event = try insight("lat\(index)", insights + index, publisher)
                sentAt["lat\(index)"] = wallClockMilliseconds()
                receipts.append(try publisher.enqueue(event))
            }
            for receipt in receipts { _ = try await receipt.delivered() }
            let settle = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < settle && observer.count(prefix: "lat") < 2 * sentAt.count {
                try await Task.sleep(for: .milliseconds(100))
            }
            for (label, topic) in [("ticket event", Topic.ticketEvent), ("owner notification", Topic.notificationRequested)] {
                let delays = observer.arrivals(topic).compactMap { id, at in sentAt[id].map { at - $0 } }.sorted()
                guard !delays.isEmpty else { print("\(label): none arrived"); continue }
                func at(_ q: Double) -> Double { delays[Int((q * Double(delays.count - 1)).rounded(.up))] }
                print(String(format: "latency      insight → %@ at %d/s: %d of %d, p50 %.1f ms, p99 %.1f ms",
                             label, paced, delays.count, sentAt.count, at(0.5), at(0.99)))
            }
            observer.stop()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    func owners(_ index: Int, _ publisher: EventPublisher) throws -> EncodedEvent {
        try publisher.encode(CustomerUpdated(updateId: "bench-u\(index)", customerId: "bench-c\(index)", advisorId: "adv-\(index % 50)",
                                             relationshipManagerId: "rm-\(index % 50)", updatedAt: Date(timeIntervalSince1970: 1_700_000_000)))
    }

    /// A fee complaint on the hotline: one ticket, one notification to the advisor.
    func insight(_ id: String, _ customer: Int, _ publisher: EventPublisher) throws -> EncodedEvent {
        let now = Date()
        return try publisher.encode(InsightProduced(
            insightId: id, transcriptId: "t-\(id)", interactionId: "i-\(id)", customerId: "bench-c\(customer)", channel: .hotlineCall,
            businessLine: "credit_card", occurredAt: now, language: "zh", rulePackVersion: "bench",
            utterances: [.init(speaker: .customer, text: "年费扣了两次，请退回", sentiment: .init(label: "negative", score: -0.6))],
            pii: [], keywords: [], sentiment: .init(label: "negative", score: -0.6), categories: [.init(id: "fees_interest", score: 0.9)],
            compliance: [], profileFacts: [], suitability: [], complaintRisk: 0.3, effort: 0.1, producedAt: now))
    }

    func waitUntil(_ store: Store, _ sql: SQL, equals expected: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            if (try? await store.rows(sql, as: Int.self).first) == expected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("route did not get there within 600 s")
    }

    func send(_ events: [EncodedEvent], _ publisher: EventPublisher) async throws {
        var receipts: [DeliveryReceipt] = []
        for event in events { receipts.append(try publisher.enqueue(event)) }
        for receipt in receipts { _ = try await receipt.delivered() }
    }
}

/// When each insight's ticket event and owner notification arrived, by insight id.
final class Arrivals: Sendable {
    private let consumer: KafkaConsumer
    private let seen = Mutex<[Topic: [String: Double]]>([:])
    private let stopped = Atomic<Bool>(false)

    init(bootstrap: String, logger: Logger) throws {
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "bench-route-\(UUID().uuidString)"),
            topics: [Topic.ticketEvent.rawValue, Topic.notificationRequested.rawValue], logger: logger)
    }

    func run() async throws {
        while !stopped.load(ordering: .relaxed) {
            let records = try await consumer.poll(maxRecords: 1_000, timeout: .milliseconds(100))
            let now = wallClockMilliseconds()
            var found: [(Topic, String)] = []
            for record in records {
                if let (event, _) = try? record.decode(TicketEvent.self), let id = event.insightId {
                    found.append((.ticketEvent, id))
                } else if let (event, _) = try? record.decode(NotificationRequested.self), let id = event.insightId {
                    found.append((.notificationRequested, id))
                }
            }
            seen.withLock { seen in
                for (topic, id) in found where seen[topic]?[id] == nil { seen[topic, default: [:]][id] = now }
            }
        }
        await consumer.close()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    func arrivals(_ topic: Topic) -> [String: Double] { seen.withLock { $0[topic] ?? [:] } }

    func count(prefix: String) -> Int {
        seen.withLock { $0.values.reduce(0) { $0 + $1.keys.filter { $0.hasPrefix(prefix) }.count } }
    }
}
