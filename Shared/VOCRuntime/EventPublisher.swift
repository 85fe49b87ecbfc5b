import Logging
import VOCFastJSON
import VOCKafka
import VOCSchema

/// Publishes events in CloudEvents binary mode and returns once the broker acknowledged.
public struct EventPublisher: Sendable {
    public let producer: KafkaProducer
    /// `ce_source` of everything this publisher sends, e.g. `/voc/ingest`.
    public let source: String

    public init(producer: KafkaProducer, source: String) {
        self.producer = producer
        self.source = source
    }

    /// Creates the producer of a service: the pipeline's producer settings, then
    /// `properties`, then the operator's `kafka.properties`, which win.
    /// - Throws: ``KafkaError`` naming a property librdkafka refuses, before the producer starts.
    public init(common: CommonSettings, clientID: String, source: String, properties: [String: String] = [:],
                logger: Logger) throws(KafkaError) {
        var configuration = common.producerConfiguration(clientID: clientID)
        configuration.properties = properties.merging(common.kafkaProperties) { _, operatorValue in operatorValue }
        self.init(producer: try KafkaProducer(configuration: configuration, logger: logger), source: source)
    }

    /// Encodes an event for this publisher's source; an event that writes its own JSON
    /// (``JSONWritable``) skips Foundation's encoder.
    public func encode<E: VOCEvent>(_ event: E, traceparent: String? = nil, key: [UInt8]? = nil) throws -> EncodedEvent {
        try EventCodec.encode(event, source: source, traceparent: traceparent, key: key,
                              json: (event as? any JSONWritable)?.jsonBytes)
    }

    /// Queues an encoded event without waiting; await the receipt for the acknowledgement.
    public func enqueue(_ event: EncodedEvent) throws(KafkaError) -> DeliveryReceipt {
        try producer.enqueue(event.record)
    }

    /// Queues many records under one receipt; see ``KafkaProducer/enqueue(_:)-([ProducerRecord])``.
    public func enqueue(_ records: [ProducerRecord]) -> (receipt: BatchReceipt, failures: [Int: KafkaError]) {
        producer.enqueue(records)
    }

    /// Publishes and waits for the acknowledgement.
    @discardableResult
    public func publish<E: VOCEvent>(_ event: E, traceparent: String? = nil) async throws -> DeliveryReport {
        try await producer.send(encode(event, traceparent: traceparent).record)
    }
}

extension EncodedEvent {
    /// The Kafka record of the event.
    public var record: ProducerRecord {
        var headers: [KafkaHeader] = []
        headers.reserveCapacity(8)
        attributes.forEachHeader { headers.append(KafkaHeader(name: $0, string: $1)) }
        return ProducerRecord(topic: topic.rawValue, key: key, value: value, headers: headers)
    }
}

extension ConsumerRecord {
    /// Headers as the (name, bytes) pairs ``EventCodec`` reads.
    public var headerPairs: [(name: String, value: [UInt8])] {
        headers.map { ($0.name, $0.value) }
    }

    /// Decodes the record as a pipeline event.
    /// - Throws: ``ValidationError`` naming the header or field at fault.
    public func decode<E: VOCEvent>(_ type: E.Type) throws(ValidationError) -> (E, CloudEventAttributes) {
        try EventCodec.decode(E.self, value: value, headers: headerPairs)
    }
}

extension EmbeddedBroker {
    /// Creates every pipeline topic with its default partition count, or with `partitions`
    /// (the dead-letter topic keeps its one).
    public func createPipelineTopics(partitions: Int? = nil) throws(KafkaError) {
        for topic in Topic.allCases {
            try createTopic(topic.rawValue, partitions: topic == .deadLetter ? topic.defaultPartitions : partitions ?? topic.defaultPartitions)
        }
    }
}
