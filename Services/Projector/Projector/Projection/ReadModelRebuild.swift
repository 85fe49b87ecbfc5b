import Foundation
import Logging
import VOCKafka
import VOCSchema
import VOCStore

/// Empties the read models and projects every topic again from its beginning to the end
/// it has when the rebuild starts, through the same writer the stage uses.
///
/// Run it while the projector is stopped: events the live stage applies during the rebuild
/// are applied once all the same (the apply-once rows are shared), but a read during it
/// sees half-built models.
public struct ReadModelRebuild: Sendable {
    public let writer: ReadModelWriter
    public let logger: Logger

    public init(writer: ReadModelWriter, logger: Logger) {
        self.writer = writer
        self.logger = logger
    }

    /// How far a rebuild got.
    public struct Progress: Sendable, Equatable {
        /// Records read of `total`.
        public var read = 0
        public var total = 0
        /// Records that break their topic's contract (the live stage dead-lettered them).
        public var invalid = 0
        /// Events the database refused.
        public var failed = 0
    }

    /// The tables of the read models, emptied by ``reset(_:)``.
    public static let tables = [
        "timeline_entries", "customer_profiles", "customer_facts", "ticket_queue", "ticket_contacts", "customer_notifications",
        "trend_days", "clusters", "cluster_days", "recordings",
    ]

    /// Empties every read model and forgets which events they applied, in one transaction.
    public static func reset(_ store: Store) async throws {
        try await store.transaction { transaction in
            try await transaction.execute(SQL.unsafe("TRUNCATE \(tables.joined(separator: ", "))"))
            try await transaction.execute("DELETE FROM applied_events WHERE consumer = ANY(\(ProjectedEvent.consumers))")
        }
    }

    /// Resets the read models and projects the topics again.
    /// - Parameter progress: called after every applied batch.
    public func run(bootstrap: String, security: KafkaSecurity = .plaintext, properties: [String: String] = [:],
                    batchSize: Int = 2_000, progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Progress {
        let admin = try KafkaAdmin(bootstrap: bootstrap, security: security, properties: properties, logger: logger)
        let wanted = Set(ProjectedEvent.topics.map(\.rawValue))
        let topics = try await admin.listTopics().filter { wanted.contains($0.name) }
        let ends = try await KafkaAdmin.lag(group: "voc-rebuild-probe", topics: topics, bootstrap: bootstrap, security: security,
                                            properties: properties, logger: logger)
        var remaining: [String: Int64] = [:]
        var state = Progress()
        for end in ends where end.end > end.start {
            remaining["\(end.topic)/\(end.partition)"] = end.end
            state.total += Int(end.end - end.start)
        }
        try await Self.reset(writer.store)
        progress(state)
        guard !remaining.isEmpty else { return state }
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "voc-rebuild-\(UUID().uuidString.prefix(8))",
                                                       clientID: "voc-rebuild")
        configuration.autoOffsetReset = .earliest
        configuration.security = security
        configuration.properties = properties
        configuration.statisticsInterval = nil
        let consumer = try KafkaConsumer(configuration: configuration, topics: topics.map(\.name), logger: logger)
        do {
            while !remaining.isEmpty {
                let records = try await consumer.poll(maxRecords: batchSize, timeout: .milliseconds(500))
                var events: [ProjectedEvent] = []
                for record in records {
                    let key = "\(record.topic)/\(record.partition)"
                    // Past the end the rebuild started with: the live stage's part.
                    guard let end = remaining[key], record.offset < end else { continue }
                    if record.offset + 1 >= end { remaining[key] = nil }
                    state.read += 1
                    do {
                        events.append(try ProjectedEvent.decode(record))
                    } catch {
                        state.invalid += 1
                    }
                }
                state.failed += try await writer.apply(events).count
                progress(state)
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
        return state
    }
}
