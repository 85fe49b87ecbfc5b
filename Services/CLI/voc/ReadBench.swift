import ArgumentParser
import Foundation
import Logging
import Projector
import ServiceLifecycle
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc bench read`: events projected per second from the broker into a loaded read-model
/// database, then p50/p99 of the customer-360 and ticket-queue endpoints over it.
struct ReadBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read", abstract: "Projected events/s, and customer-360 / ticket-queue p50/p99 over N interactions in PostgreSQL.")

    @Option(help: "Interactions seeded in PostgreSQL before measuring (customers: N/10, tickets: N/5).")
    var interactions: Int = 1_000_000

    @Option(help: "Contacts sent through the broker for the projection phase (about 3.7 events each: interaction, transcript and insight; ticket events, CRM updates and notifications for some).")
    var contacts: Int = 10_000

    @Option(help: "Requests per endpoint in the latency phase.")
    var requests: Int = 2_000

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench")
        let port = 22_000 + Int.random(in: 0..<2000)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("voc-bench-read-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let stack = try DevStack.start(in: work, postgresPort: port + 1, brokers: 1, logger: logger)
        defer { stack.stop() }
        var common = CommonSettings(config: try await Settings.reader())
        common.kafkaBrokers = stack.broker.bootstrap
        let secret = String(repeating: "b", count: 32)
        let configuration = ProjectorConfiguration(common: common, store: stack.store, http: HTTPSettings(port: port),
                                                   group: "voc-projector-bench", tokenSecret: secret)
        let store = Store(configuration: stack.store, logger: logger)

        let publisher = try EventPublisher(common: common, clientID: "bench-read", source: "/bench", logger: logger)
        let events = try ReadBenchEvents.make(contacts: contacts, publisher: publisher)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await store.run() }
            try await store.migrate(component: ProjectorApp.component, ProjectorApp.migrations())
            let seeding = ContinuousClock.now
            try await ReadBenchSeed.seed(store, interactions: interactions) { step in
                FileHandle.standardError.write(Data("\rseeding: \(step)                ".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            print(String(format: "seeded       %d interactions, %d customers, %d tickets in %.1f s",
                         interactions, max(1, interactions / 10), max(1, interactions / 5), (ContinuousClock.now - seeding) / .seconds(1)))

            var receipts: [DeliveryReceipt] = []
            for event in events { receipts.append(try publisher.enqueue(event)) }
            for receipt in receipts { _ = try await receipt.delivered() }

            let group = ServiceGroup(services: [try ProjectorApp.build(configuration: configuration, logger: logger)], logger: logger)
            tasks.addTask { try await group.run() }
            let started = ContinuousClock.now
            let deadline = started + .seconds(900)
            var applied = 0
            while applied < events.count && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                applied = try await store.rows("SELECT count(*)::int8 FROM applied_events WHERE consumer LIKE 'projector.%'", as: Int.self)
                    .first ?? 0
            }
            let wall = (ContinuousClock.now - started) / .seconds(1)
            let span = try await store.rows(
                """
                SELECT count(*)::int8, COALESCE(EXTRACT(EPOCH FROM max(applied_at) - min(applied_at))::float8, 0)
                FROM applied_events WHERE consumer LIKE 'projector.%'
                """, as: Int.self, Double.self).first ?? (0, 0)
            print(String(format: "projection   %d events applied; %.0f events/s between the first and the last batch (%.2f s)",
                         span.0, Double(span.0) / max(span.1, 0.001), span.1))
            print(String(format: "             %.0f events/s from the stage's start (%.2f s, consumer group join included)",
                         Double(applied) / max(wall, 0.001), wall))

            guard await waitUntilListening(port: port) else { throw ValidationError("the read API did not start on port \(port)") }
            let key = try ReadTokenKey(secret: secret)
            let manager = "Bearer " + (try key.sign(ReadToken(subject: "bench", role: .manager, sensitive: true,
                                                              expiresAt: Date().addingTimeInterval(3600))))
            let staff = try ReadBenchSeed.departments.map { department in
                "Bearer " + (try key.sign(ReadToken(subject: "bench", role: .departmentStaff, department: department,
                                                    expiresAt: Date().addingTimeInterval(3600))))
            }
            let customers = max(1, interactions / 10)
            let count = requests
            let customer = try await offPool {
                try Self.measure(port: port, requests: count) { index in
                    ("/v1/customers/" + ReadBenchSeed.customerId(1 + (index * 7_919) % customers), manager)
                }
            }
            print("customer 360 " + customer)
            let queue = try await offPool {
                try Self.measure(port: port, requests: count) { index in
                    ("/v1/ticket-queue?open=true&limit=50", staff[index % staff.count])
                }
            }
            print("ticket queue " + queue + "  (a department's open tickets, first page of 50)")
            let breached = try await offPool {
                try Self.measure(port: port, requests: count) { index in
                    ("/v1/ticket-queue?sla=breached&limit=50", staff[index % staff.count])
                }
            }
            print("queue sla    " + breached + "  (sla=breached, first page of 50)")
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
        }
    }

    /// Times `requests` GETs on one keep-alive connection after a warm-up of 100.
    static func measure(port: Int, requests: Int, _ target: (Int) -> (path: String, authorization: String)) throws -> String {
        let connection = try PlainHTTPConnection(port: port)
        var failures = 0
        for index in 0..<100 {
            let (path, authorization) = target(index)
            _ = try connection.get(path: path, headers: [("Authorization", authorization)])
        }
        var times: [Double] = []
        times.reserveCapacity(requests)
        for index in 0..<requests {
            let (path, authorization) = target(100 + index)
            let start = ContinuousClock.now
            let (status, _) = try connection.get(path: path, headers: [("Authorization", authorization)])
            times.append((ContinuousClock.now - start) / .milliseconds(1))
            if status != 200 { failures += 1 }
        }
        times.sort()
        func at(_ share: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * share))] }
        return String(format: "%d requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d not 200", requests, at(0.5), at(0.99),
                      times.last ?? 0, failures)
    }
}
