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

    @Option(name: .long, help: "Stop after this many records (counted after the filters).")
    var count: Int?

    @Option(name: .long, help: "Only events of this customer (the payload's customerId).")
    var customer: String?

    @Option(name: .long, help: "Only records with this key.")
    var key: String?

    @Option(name: .long, help: "Only events whose CloudEvents type contains this (e.g. insight.produced).")
    var type: String?

    @Option(name: .long, help: "Only records written from this time on: ISO 8601 or an age such as 30m, 6h, 2d (reads from the beginning).")
    var since: String?

    @Flag(name: .long, help: "Readable output: a header line per record and the payload indented, instead of JSON lines.")
    var pretty = false

    func run() async throws {
        let name = try Self.resolve(topic)
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-tail")
        var configuration = try await broker.connection().consumer(group: "voc-tail-\(UUID().uuidString.prefix(8))", clientID: "voc-tail")
        let filter = TailFilter(customer: customer, key: key, type: type,
                                since: try since.map { try DeadLetterFilter.parseSince($0, now: Date()) })
        configuration.autoOffsetReset = fromBeginning || filter.since != nil ? .earliest : .latest
        let consumer = try KafkaConsumer(configuration: configuration, topics: [name], logger: logger)
        var printed = 0
        while count.map({ printed < $0 }) ?? true {
            for record in try await consumer.poll(maxRecords: 500, timeout: .milliseconds(500)) where filter.matches(record) {
                guard count.map({ printed < $0 }) ?? true else { break }
                FileHandle.standardOutput.write(Data(((pretty ? Self.renderPretty(record) : Self.render(record)) + "\n").utf8))
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

    /// A header line (position, key, type, time) and the payload pretty-printed.
    static func renderPretty(_ record: ConsumerRecord) -> String {
        var head = "\(record.topic)/\(record.partition)@\(record.offset)"
        if let key = record.key { head += "  key=\(String(decoding: key, as: UTF8.self))" }
        for name in ["ce_type", "ce_time", "ce_id"] {
            if let value = record.header(name) { head += "  \(name.dropFirst(3))=\(value)" }
        }
        let body: String
        if let payload = try? JSONSerialization.jsonObject(with: Data(record.value)),
           let data = try? JSONSerialization.data(withJSONObject: payload, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            body = String(decoding: data, as: UTF8.self)
        } else {
            body = String(decoding: record.value, as: UTF8.self)
        }
        return head + "\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    private static func decodeAny<E: VOCEvent>(_ type: E.Type, _ record: ConsumerRecord) throws(VOCSchema.ValidationError) -> E {
        try record.decode(E.self).0
    }
}

/// What `voc tail` keeps.
struct TailFilter {
    var customer: String?
    var key: String?
    var type: String?
    var since: Date?

    func matches(_ record: ConsumerRecord) -> Bool {
        if let key, record.key.map({ String(decoding: $0, as: UTF8.self) }) != key { return false }
        if let type, !(record.header("ce_type") ?? "").contains(type) { return false }
        if let since {
            // When the record was written (the broker's timestamp), not when the event happened.
            let written = record.timestampMs.map { Date(timeIntervalSince1970: Double($0) / 1000) }
            guard let time = written ?? record.header("ce_time").flatMap(Self.parseTime), time >= since else { return false }
        }
        if let customer {
            let payload = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any]
            guard payload?["customerId"] as? String == customer else { return false }
        }
        return true
    }

    private static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
