import ArgumentParser
import Foundation
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema

/// `voc tail TOPIC`: follow a topic, one JSON line per record with its CloudEvents
/// attributes and decoded payload.
struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow a topic and print its events as JSON lines.")

    @Argument(help: "Topic, e.g. voc.interaction.received.v1 (short forms: interaction, deadletter, ...).")
    var topic: String

    @OptionGroup var broker: BrokerOptions

    @Flag(name: .long, help: "Start at the oldest record instead of new ones.")
    var fromBeginning = false

    @Option(name: .long, help: "Stop after this many records.")
    var count: Int?

    func run() async throws {
        let name = try Self.resolve(topic)
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-tail")
        var configuration = KafkaConsumerConfiguration(bootstrapServers: try broker.resolve(), groupID: "voc-tail-\(UUID().uuidString.prefix(8))",
                                                       clientID: "voc-tail")
        configuration.autoOffsetReset = fromBeginning ? .earliest : .latest
        configuration.statisticsInterval = nil
        let consumer = try KafkaConsumer(configuration: configuration, topics: [name], logger: logger)
        var printed = 0
        while count.map({ printed < $0 }) ?? true {
            for record in try await consumer.poll(maxRecords: count.map { $0 - printed } ?? 500, timeout: .milliseconds(500)) {
                FileHandle.standardOutput.write(Data((Self.render(record) + "\n").utf8))
                printed += 1
            }
        }
        await consumer.close()
    }

    /// A pipeline topic by a segment of its name (`interaction`, `deadletter`), or any
    /// other topic by its full name.
    static func resolve(_ topic: String) throws -> String {
        if topic.contains(".") { return topic }
        let matches = Topic.allCases.filter { $0.rawValue.split(separator: ".").contains(Substring(topic)) }
        switch matches.count {
        case 1: return matches[0].rawValue
        case 0: return topic
        default: throw ValidationError("\(topic) matches \(matches.map(\.rawValue).joined(separator: ", ")): name one")
        }
    }

    /// One JSON line: position, CloudEvents attributes, and the payload (or why it failed to decode).
    static func render(_ record: ConsumerRecord) -> String {
        var line: [String: Any] = [
            "topic": record.topic, "partition": record.partition, "offset": record.offset,
        ]
        if let key = record.key { line["key"] = String(decoding: key, as: UTF8.self) }
        var attributes: [String: String] = [:]
        for header in record.headers where header.name.hasPrefix("ce_") || header.name == "traceparent" {
            attributes[header.name] = String(decoding: header.value, as: UTF8.self)
        }
        line["headers"] = attributes
        if let payload = try? JSONSerialization.jsonObject(with: Data(record.value)) {
            line["event"] = payload
        } else {
            line["value"] = String(decoding: record.value, as: UTF8.self)
        }
        if let topic = Topic(rawValue: record.topic), let type = EventCatalog.type(for: topic) {
            do {
                _ = try decodeAny(type, record)
            } catch {
                line["invalid"] = error.problems.map(\.description).joined(separator: "; ")
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func decodeAny<E: VOCEvent>(_ type: E.Type, _ record: ConsumerRecord) throws(VOCSchema.ValidationError) -> E {
        try record.decode(E.self).0
    }
}
