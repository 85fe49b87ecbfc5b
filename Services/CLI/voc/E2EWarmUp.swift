import Foundation
import Logging
import VOCKafka
import VOCSchema

/// What comes before the measured load of `voc bench e2e`: owners for the customers, so
/// route has someone to keep in sync, and a first pass through every stage, so consumer
/// group joins and producer ids are not counted as latency.
enum E2EWarmUp {
    /// Feeds its interactions from this index on, far from the measured run's.
    static let firstIndex = 1_000_000_000

    /// Gives each customer the feeder uses an advisor and a relationship manager that
    /// `voc up`'s development inbox can reach.
    static func owners(url: String, key: String) async throws {
        let client = DemoClient(baseURL: url, key: key)
        try await withThrowingTaskGroup(of: (Int, UInt).self) { tasks in
            for index in 0..<ChaosFeeder.customers {
                if index >= 16, let (failed, status) = try await tasks.next(), status != 202 {
                    throw E2EError("PUT /v1/customers/\(ChaosFeeder.customerId(failed)) answered \(status)")
                }
                let body: [String: Any] = [
                    "advisorId": DemoDay.advisorIDs[index % DemoDay.advisorIDs.count],
                    "relationshipManagerId": DemoDay.relationshipManagerIDs[index % DemoDay.relationshipManagerIDs.count],
                    "businessLine": DemoDay.businessLines[index % DemoDay.businessLines.count],
                ]
                tasks.addTask { (index, try await client.send(.PUT, "/v1/customers/\(ChaosFeeder.customerId(index))", json: body)) }
            }
            for try await (failed, status) in tasks where status != 202 {
                throw E2EError("PUT /v1/customers/\(ChaosFeeder.customerId(failed)) answered \(status)")
            }
        }
    }

    /// Sends a few interactions until an owner notification of one has been delivered,
    /// then waits for every consumer group to catch up.
    static func untilNotified(url: String, key: String, connection: KafkaConnection, logger: Logger,
                              say: @escaping @Sendable (String) -> Void) async throws {
        let reader = TopicReader(connection: connection, logger: logger)
        let deadline = ContinuousClock.now + .seconds(180)
        var round = 0
        while ContinuousClock.now < deadline {
            let feeder = ChaosFeeder(baseURL: url, key: key, total: 100, perSecond: 50, deadline: .now + .seconds(30),
                                     firstIndex: firstIndex + round * 100)
            try await feeder.run()
            round += 1
            let settled = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < settled {
                var delivered = 0
                try await reader.each(Topic.notificationDelivered.rawValue) { record in
                    let payload = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any]
                    if payload?["outcome"] as? String == "delivered" { delivered += 1 }
                }
                if delivered > 0 {
                    say("warm-up: an owner notification was delivered after \(round * 100) interactions; waiting for the groups to catch up")
                    try await ChaosDrain.wait(connection: connection, seconds: 120, logger: logger, say: say)
                    return
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
        throw E2EError("no owner notification was delivered within 180 s of warm-up; see the services' logs")
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
