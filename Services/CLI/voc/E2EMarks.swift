import Foundation
import Logging
import Synchronization
import VOCKafka
import VOCSchema
import VOCStore

/// When each accepted interaction reached each observable point, in milliseconds since
/// the epoch: record timestamps set by the producing service (ingest, analyze, route,
/// notify) and the projector's apply-once rows.
struct E2EMark: Sendable {
    /// The interaction's record on `voc.interaction.received.v1`: ingest answers `202`
    /// once the broker acknowledged it.
    var acceptedMs: Double?
    var insightMs: Double?
    /// The later of the projector applying the interaction and applying its insight: from
    /// then the customer 360 shows the contact with its sentiment and categories. The rows
    /// carry their transaction's start, a few milliseconds before it commits.
    var projectedMs: Double?
    /// Route's owner-sync notification on `voc.notification.requested.v1`.
    var ownerRequestedMs: Double?
    /// Notify's `delivered` outcome of that notification on `voc.notification.delivered.v1`.
    var ownerNotifiedMs: Double?
}

/// What the four topics said while the load ran, per interaction id (earliest record time).
struct E2EObserved: Sendable {
    var accepted: [String: Double] = [:]
    var insight: [String: Double] = [:]
    var interactionOfInsight: [String: String] = [:]
    var ownerRequested: [String: Double] = [:]
    var interactionOfNotification: [String: String] = [:]
    /// Notification id → the record time of its `delivered` outcome.
    var delivered: [String: Double] = [:]

    /// The fields of a payload the marks need; everything else is skipped.
    private struct Fields: Decodable {
        var interactionId: String?
        var insightId: String?
        var notificationId: String?
        var kind: String?
        var outcome: String?
    }

    mutating func add(_ record: ConsumerRecord, decoder: JSONDecoder) {
        guard let stamp = record.timestampMs.map(Double.init),
              let payload = try? decoder.decode(Fields.self, from: Data(record.value)) else { return }
        func earliest(_ map: inout [String: Double], _ key: String) { map[key] = min(map[key] ?? stamp, stamp) }
        switch record.topic {
        case Topic.interactionReceived.rawValue:
            if let id = payload.interactionId { earliest(&accepted, id) }
        case Topic.insightProduced.rawValue:
            guard let id = payload.interactionId, let insight = payload.insightId else { return }
            interactionOfInsight[insight] = id
            earliest(&self.insight, id)
        case Topic.notificationRequested.rawValue:
            guard payload.kind == "owner_sync", let id = payload.interactionId, let notification = payload.notificationId else { return }
            interactionOfNotification[notification] = id
            earliest(&ownerRequested, id)
        case Topic.notificationDelivered.rawValue:
            guard payload.outcome == "delivered", let notification = payload.notificationId else { return }
            earliest(&delivered, notification)
        default:
            return
        }
    }
}

/// Reads the four topics while the load runs. They cannot be read back afterwards: the
/// embedded broker (librdkafka's mock cluster) keeps only the newest few megabytes of each
/// partition and drops older message sets, so a long run's first records are gone by the end.
final class E2EFollower: Sendable {
    static let topics: [Topic] = [.interactionReceived, .insightProduced, .notificationRequested, .notificationDelivered]
    private let connection: KafkaConnection
    private let logger: Logger
    private let consumer: KafkaConsumer
    private let observed = Mutex(E2EObserved())
    /// Set by ``finish()``: the end of every partition to read up to before stopping.
    private let ends = Mutex<[String: Int64]?>(nil)

    init(connection: KafkaConnection, logger: Logger) throws {
        self.connection = connection
        self.logger = logger
        var configuration = connection.consumer(group: "voc-e2e-\(UUID().uuidString.prefix(8))", clientID: "voc-e2e")
        configuration.autoOffsetReset = .earliest
        consumer = try KafkaConsumer(configuration: configuration, topics: Self.topics.map(\.rawValue), logger: logger)
    }

    /// Polls until ``finish()`` has named the ends and every partition reached its end.
    func run() async throws {
        let decoder = JSONDecoder()
        var next: [String: Int64] = [:]
        while true {
            let records = try await consumer.poll(maxRecords: 2_000, timeout: .milliseconds(200))
            observed.withLock { observed in
                for record in records { observed.add(record, decoder: decoder) }
            }
            for record in records { next["\(record.topic)/\(record.partition)"] = record.offset + 1 }
            if let ends = ends.withLock({ $0 }), ends.allSatisfy({ (next[$0.key] ?? 0) >= $0.value }) { break }
        }
        await consumer.close()
    }

    /// Names the ends the follower must reach; call once every group has caught up.
    func finish() async throws {
        let lags = try await TopicReader(connection: connection, logger: logger).ends(of: Set(Self.topics.map(\.rawValue)))
        let targets = Dictionary(lags.map { ("\($0.topic)/\($0.partition)", $0.end) }) { max($0, $1) }
        ends.withLock { $0 = targets }
    }

    var result: E2EObserved { observed.withLock { $0 } }
}

enum E2EMarks {
    /// The marks of the accepted interactions from what the follower saw and the
    /// projector's apply-once rows.
    static func read(accepted: Set<String>, observed: E2EObserved, store: StoreConfiguration,
                     logger: Logger) async throws -> [String: E2EMark] {
        var marks: [String: E2EMark] = [:]
        marks.reserveCapacity(accepted.count)
        for id in accepted {
            marks[id] = E2EMark(acceptedMs: observed.accepted[id], insightMs: observed.insight[id],
                                ownerRequestedMs: observed.ownerRequested[id])
        }
        for (notification, at) in observed.delivered {
            guard let id = observed.interactionOfNotification[notification], accepted.contains(id) else { continue }
            let earlier = marks[id]?.ownerNotifiedMs ?? at
            marks[id]?.ownerNotifiedMs = min(earlier, at)
        }
        let interactionOfInsight = observed.interactionOfInsight

        let client = Store(configuration: store, logger: logger)
        let applied = try await withThrowingTaskGroup(of: [(String, String, Date)]?.self) { tasks in
            tasks.addTask { try await client.run(); return nil }
            defer { tasks.cancelAll() }
            // PostgresClient warns about a lease that comes before its run() has begun.
            try await Task.sleep(for: .milliseconds(200))
            return try await client.rows(
                """
                SELECT consumer, event_id, applied_at FROM voc_projector.applied_events
                WHERE consumer IN ('projector.timeline', 'projector.insights')
                """, as: String.self, String.self, Date.self)
        }
        var interactionApplied: [String: Double] = [:]
        var insightApplied: [String: Double] = [:]
        for (consumer, eventId, at) in applied {
            let ms = at.timeIntervalSince1970 * 1000
            if consumer == "projector.timeline" {
                if accepted.contains(eventId) { interactionApplied[eventId] = ms }
            } else if let id = interactionOfInsight[eventId] {
                insightApplied[id] = ms
            }
        }
        for (id, interaction) in interactionApplied {
            guard let insight = insightApplied[id] else { continue }
            marks[id, default: E2EMark()].projectedMs = max(interaction, insight)
        }
        return marks
    }
}
