import ArgumentParser
import Foundation
import Logging
import Synchronization
import VOCKafka
import VOCSchema

/// What a ``TopicFollower`` gathers, record by record.
protocol TopicObservation: Sendable {
    /// The topics to follow.
    static var topics: [Topic] { get }
    init()
    mutating func add(_ record: ConsumerRecord, decoder: JSONDecoder)
}

/// Reads topics while a run produces to them. A long run's topics cannot be read back
/// afterwards: the embedded broker (librdkafka's mock cluster) keeps only the newest few
/// megabytes of each partition and drops older message sets.
final class TopicFollower<Observation: TopicObservation>: Sendable {
    private let connection: KafkaConnection
    private let logger: Logger
    private let consumer: KafkaConsumer
    private let observed = Mutex(Observation())
    private let state = Mutex(State())

    private struct State {
        /// Named by ``catchUp()``: the end of every partition to read up to.
        var ends: [String: Int64]?
        var reached = false
        var stopped = false
        /// Set when ``run()`` ended, by ``stop()`` or by an error.
        var finished = false
    }

    init(connection: KafkaConnection, name: String, logger: Logger) throws {
        self.connection = connection
        self.logger = logger
        var configuration = connection.consumer(group: "voc-\(name)-\(UUID().uuidString.prefix(8))", clientID: "voc-\(name)")
        configuration.autoOffsetReset = .earliest
        consumer = try KafkaConsumer(configuration: configuration, topics: Observation.topics.map(\.rawValue), logger: logger)
    }

    /// Polls until ``stop()``.
    func run() async throws {
        defer { state.withLock { $0.finished = true } }
        let decoder = JSONDecoder()
        var next: [String: Int64] = [:]
        while !state.withLock({ $0.stopped }) {
            let records = try await consumer.poll(maxRecords: 2_000, timeout: .milliseconds(200))
            observed.withLock { observed in
                for record in records { observed.add(record, decoder: decoder) }
            }
            for record in records { next["\(record.topic)/\(record.partition)"] = record.offset + 1 }
            state.withLock { state in
                if let ends = state.ends, ends.allSatisfy({ (next[$0.key] ?? 0) >= $0.value }) { state.reached = true }
            }
        }
        await consumer.close()
    }

    /// Returns once the follower has read every partition up to the end it has now; call
    /// when every group has caught up, and again to see what came after.
    func catchUp() async throws {
        let lags = try await TopicReader(connection: connection, logger: logger).ends(of: Set(Observation.topics.map(\.rawValue)))
        let targets = Dictionary(lags.map { ("\($0.topic)/\($0.partition)", $0.end) }) { max($0, $1) }
        state.withLock { $0.ends = targets; $0.reached = false }
        while !state.withLock({ $0.reached }) {
            if state.withLock({ $0.finished }) { throw ValidationError("the topic follower stopped before it reached the topics' ends") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Ends ``run()``.
    func stop() { state.withLock { $0.stopped = true } }

    var result: Observation { observed.withLock { $0 } }
}
