import Foundation
import VOCKafka
import VOCSchema

/// Events of one type in CloudEvents binary mode, gathered into a ``RecordBatch``: the
/// header names and the attributes every event of the batch shares (spec version, type,
/// source, content type, trace context) are stored once.
public struct CloudEventBatch: Sendable {
    public var records: RecordBatch { batch }
    // Inlinable, with what it touches, as the hot path of a batch request.
    @usableFromInline var batch: RecordBatch
    @usableFromInline let names: Names
    @usableFromInline let specVersion, type, source, contentType: RecordBatch.Span
    @usableFromInline let traceparent: RecordBatch.Span

    /// The header names in the order ``CloudEventAttributes/forEachHeader(_:)`` gives them.
    @usableFromInline
    struct Names: Sendable {
        @usableFromInline var specVersion, id, type, source, time, subject, contentType, traceparent: RecordBatch.Span
    }

    /// - Parameters:
    ///   - traceparent: The trace context of every event of the batch.
    ///   - events: How many events to make room for.
    ///   - bytes: How many bytes of keys, values and attributes to make room for.
    public init<E: VOCEvent>(_ type: E.Type, source: String, traceparent: String, events: Int = 0, bytes: Int = 0) {
        var records = RecordBatch(topic: E.topic.rawValue, records: events, bytes: bytes)
        names = Names(
            specVersion: records.store("ce_specversion"), id: records.store("ce_id"), type: records.store("ce_type"),
            source: records.store("ce_source"), time: records.store("ce_time"), subject: records.store("ce_subject"),
            contentType: records.store("content-type"), traceparent: records.store("traceparent"))
        specVersion = records.store(CloudEventAttributes.specVersion)
        self.type = records.store(E.eventType)
        self.source = records.store(source)
        contentType = records.store("application/json")
        self.traceparent = records.store(traceparent)
        self.batch = records
    }

    public var count: Int { batch.count }

    /// Appends an event whose JSON and attribute texts lie in `output` (one copy of it is
    /// kept): the record ``EventCodec`` would make of that event.
    /// - Parameters:
    ///   - json: The event's JSON.
    ///   - subject: The key and `ce_subject`.
    ///   - id: `ce_id`.
    ///   - time: `ce_time`.
    @inlinable
    public mutating func append(from output: UnsafeBufferPointer<UInt8>, json: Range<Int>, subject: Range<Int>, id: Range<Int>,
                                time: Range<Int>) {
        let stored = batch.store(output)
        let key = stored.part(subject)
        batch.append(key: key, value: stored.part(json))
        batch.header(names.specVersion, specVersion)
        batch.header(names.id, stored.part(id))
        batch.header(names.type, type)
        batch.header(names.source, source)
        batch.header(names.time, stored.part(time))
        batch.header(names.subject, key)
        batch.header(names.contentType, contentType)
        batch.header(names.traceparent, traceparent)
    }

    /// Appends an event encoded by ``EventCodec``, with every attribute it carries.
    public mutating func append(_ event: EncodedEvent) {
        let key = batch.store(event.key), value = batch.store(event.value)
        batch.append(key: key, value: value)
        event.attributes.forEachHeader { name, value in
            let name = batch.store(name), value = batch.store(value)
            batch.header(name, value)
        }
    }
}

extension EventPublisher {
    /// Queues every event of `batch` under one receipt; see ``KafkaProducer/enqueue(_:)-(RecordBatch)``.
    public func enqueue(_ batch: CloudEventBatch) -> (receipt: BatchReceipt, failures: [Int: KafkaError]) {
        producer.enqueue(batch.records)
    }
}
