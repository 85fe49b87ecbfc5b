import Foundation
import Logging
import Synchronization
import Transcribe
import VOCKafka
import VOCRuntime
import VOCSchema

/// Puts on the topics what no gateway would send: records that break the contract, and
/// exact copies of records already there (a producer retry the broker kept twice).
final class ChaosInjector: Sendable {
    /// A poison record and the stages that must dead-letter it.
    struct Poison: Sendable {
        var key: String
        var topic: String
        var kind: String
        var stages: [String]
    }

    private let producer: KafkaProducer
    private let connection: KafkaConnection
    private let logger: Logger
    let injected = Mutex<[Poison]>([])

    init(connection: KafkaConnection, logger: Logger) throws {
        self.connection = connection
        self.logger = logger
        producer = try KafkaProducer(configuration: connection.producer(clientID: "voc-chaos"), logger: logger)
    }

    /// The kinds in turn: bytes that are not JSON, an interaction missing its required
    /// fields, a JSON array, a transcript missing its required fields.
    func poison(_ count: Int) async throws {
        let readers = ["transcribe", "projector"]
        let kinds: [(kind: String, topic: Topic, value: String, stages: [String])] = [
            ("not-json", .interactionReceived, "{\"customerId\": \"C1\", text: unquoted", readers),
            ("missing-fields", .interactionReceived, "{\"interactionId\":\"POISON-INTERACTION\",\"channel\":\"chat\"}", readers),
            ("not-an-object", .interactionReceived, "[1,2,3]", readers),
            ("missing-fields", .transcriptReady, "{\"transcriptId\":\"POISON-TRANSCRIPT\"}", ["analyze"]),
        ]
        for index in 0..<count {
            let kind = kinds[index % kinds.count]
            let key = "POISON-\(index + 1)"
            let headers = [
                KafkaHeader(name: "ce_specversion", string: "1.0"), KafkaHeader(name: "ce_id", string: key),
                KafkaHeader(name: "ce_type", string: kind.topic.rawValue), KafkaHeader(name: "ce_source", string: "/voc/chaos"),
                KafkaHeader(name: "ce_time", string: ISO8601DateFormatter().string(from: Date())),
                KafkaHeader(name: "content-type", string: "application/json"),
            ]
            var value = kind.value
            if let range = value.range(of: "POISON-INTERACTION") ?? value.range(of: "POISON-TRANSCRIPT") {
                value.replaceSubrange(range, with: key)
            }
            _ = try await producer.send(ProducerRecord(topic: kind.topic.rawValue, key: Array(key.utf8), value: Array(value.utf8),
                                                       headers: headers))
            injected.withLock { $0.append(Poison(key: key, topic: kind.topic.rawValue, kind: kind.kind, stages: kind.stages)) }
        }
    }

    /// Produces the first `count` records of a topic again, key, value and headers unchanged.
    /// - Returns: how many were copied.
    func duplicate(_ count: Int, of topic: Topic) async throws -> Int {
        let originals = try await TopicReader(connection: connection, logger: logger).records(topic.rawValue)
            .filter { !($0.key.map { String(decoding: $0, as: UTF8.self).hasPrefix("POISON-") } ?? false) }
            .prefix(count)
        for record in originals {
            _ = try await producer.send(ProducerRecord(topic: record.topic, key: record.key, value: record.value, headers: record.headers))
        }
        return originals.count
    }
}

/// Recorded calls for the speech engine to be killed under.
enum ChaosRecordings {
    /// - Returns: how many ingest accepted; their ids join the feeder's accepted set.
    static func send(_ count: Int, to baseURL: String, key: String, folder: URL, feeder: ChaosFeeder) async throws -> Int {
        let client = DemoClient(baseURL: baseURL, key: key)
        var accepted = 0
        for index in 0..<count {
            let call = DemoDay.calls[index % DemoDay.calls.count]
            let made = try SyntheticCall.make(in: folder.path, turns: call.turns, name: "chaos-call\(index)")
            let metadata: [String: Any] = [
                "customerId": "CHAOS-C\(index)", "channel": call.channel.rawValue, "businessLine": call.businessLine,
                "occurredAt": ISO8601DateFormatter().string(from: Date()), "externalId": "chaos-call-\(index)",
            ]
            let answer = try await client.uploadAnswer(metadata: metadata, audio: try Data(contentsOf: URL(fileURLWithPath: made.path)))
            if let id = answer.interactionId {
                feeder.accepted.withLock { _ = $0.insert(id) }
                accepted += 1
            } else {
                feeder.rejected.withLock { $0.append("recording \(index): \(answer.status)") }
            }
        }
        return accepted
    }
}

/// Waits until every pipeline consumer group has consumed everything on its topics.
enum ChaosDrain {
    static func wait(connection: KafkaConnection, seconds: Int, logger: Logger, say: @Sendable (String) -> Void) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var quiet = 0
        var last = ""
        var stuck: [String] = []
        while ContinuousClock.now < deadline {
            let topics = try await connection.admin(logger: logger).listTopics()
            var behind: [String: Int64] = [:]
            var partitions: [String] = []
            for group in Lag.pipelineGroups {
                let lags = try await KafkaAdmin.lag(group: group, topics: topics, bootstrap: connection.bootstrap,
                                                    security: connection.security, properties: connection.properties, logger: logger)
                // A group reads a topic where it has committed anything; on such a topic a
                // partition it has not committed on yet counts whole.
                let read = Set(lags.filter { $0.committed != nil }.map(\.topic))
                let lag = lags.filter { read.contains($0.topic) }.reduce(0) { $0 + $1.lag }
                if lag > 0 { behind[group] = lag }
                partitions += lags.filter { read.contains($0.topic) && $0.lag > 0 }.map {
                    "\(group) \($0.topic)[\($0.partition)] at \($0.committed.map(String.init) ?? "none") of \($0.end)"
                }
            }
            quiet = behind.isEmpty ? quiet + 1 : 0
            if quiet == 3 { return }
            let line = behind.isEmpty ? "every consumer group caught up"
                : "behind: " + behind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            if line != last {
                say(line)
                last = line
            }
            stuck = partitions
            try await Task.sleep(for: .seconds(2))
        }
        say("the consumer groups did not catch up within \(seconds) s: " + stuck.joined(separator: ", "))
    }
}
