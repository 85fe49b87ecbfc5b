import CRdKafka
import Foundation
import Logging
import Synchronization
import VOCProcess

/// A producer whose sends complete when the broker has acknowledged the record
/// (`acks=all` with idempotence by default).
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let poller: DedicatedThread
    private let logger: Logger
    private let topics = TopicHandles()

    /// Checks `configuration`, creates the producer and starts the thread that serves
    /// its delivery reports and statistics.
    ///
    /// The thread waits in `rd_kafka_poll`, which returns as soon as a report is queued:
    /// a receipt completes when the broker's answer arrives, not at a poll interval.
    /// - Throws: ``KafkaError`` with code `.configuration` naming a property librdkafka
    ///   refuses, before any connection is made.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        try configuration.validate()
        self.client = try RDKafkaClient(kind: .producer, properties: configuration.librdkafkaProperties, logger: logger,
                                        metrics: .producer(client: configuration.clientID)) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
        self.logger = logger
        let client = self.client
        self.poller = DedicatedThread(name: "voc-kafka-producer-poll") {
            rd_kafka_poll(client.handle, 100)
        }
    }

    /// The last statistics report (every `statistics.interval.ms`), nil before the first.
    public var statistics: KafkaStatistics? {
        client.context.statistics.withLock { $0 }
    }

    deinit {
        // Stopping the poll thread waits for its current timed poll and destroying the
        // handle can block: both happen on a Dispatch thread, not the caller's.
        let poller = self.poller
        let client = self.client
        let topics = self.topics
        DispatchQueue.global().async {
            poller.stop()
            topics.destroyAll()
            withExtendedLifetime(client) {}
        }
    }

    /// Puts a record in the producer's queue without waiting for the broker.
    ///
    /// Records enqueued one after another keep their order within a partition; await the
    /// receipts afterwards to send many records in one round-trip.
    /// - Throws: ``KafkaError`` `.queueFull` (retriable) when the local queue is full.
    public func enqueue(_ record: ProducerRecord) throws(KafkaError) -> DeliveryReceipt {
        let receipt = DeliveryReceipt()
        let target = UnsafeMutablePointer<DeliveryTarget>.allocate(capacity: 1)
        target.initialize(to: .single(Unmanaged.passRetained(receipt)))
        if let failure = produce(record, target: target) {
            target.move().release()
            target.deallocate()
            throw failure
        }
        return receipt
    }

    /// Queues many records under one receipt, which completes when every record queued
    /// has been acknowledged or has failed; one wait instead of one per record.
    ///
    /// A record the local queue refuses is reported in `failures` and the rest are still
    /// queued, so the caller can answer per record.
    public func enqueue(_ records: [ProducerRecord]) -> (receipt: BatchReceipt, failures: [Int: KafkaError]) {
        let receipt = BatchReceipt(records: records.count)
        var failures: [Int: KafkaError] = [:]
        for (index, record) in records.enumerated() {
            if let failure = produce(record, target: receipt.target(index)) { failures[index] = failure }
        }
        receipt.expect(records.count - failures.count)
        return (receipt, failures)
    }

    /// Queues every record of `batch` under one receipt, as ``enqueue(_:)-([ProducerRecord])``
    /// does for a list of records: failures by the record's index in the batch.
    public func enqueue(_ batch: RecordBatch) -> (receipt: BatchReceipt, failures: [Int: KafkaError]) {
        let receipt = BatchReceipt(records: batch.count)
        var failures: [Int: KafkaError] = [:]
        let topic: OpaquePointer
        do {
            topic = try topics.handle(batch.topic, client: client)
        } catch {
            for index in 0..<batch.count { failures[index] = error }
            receipt.expect(0)
            return (receipt, failures)
        }
        var index = 0
        batch.forEach { key, value, headers, bytes in
            let list = rd_kafka_headers_new(headers.count / 2)
            for pair in stride(from: headers.startIndex, to: headers.endIndex, by: 2) {
                let name = RecordBatch.slice(bytes, headers[pair]), content = RecordBatch.slice(bytes, headers[pair + 1])
                _ = rd_kafka_header_add(list, name.baseAddress?.assumingMemoryBound(to: CChar.self), name.count,
                                        content.baseAddress, content.count)
            }
            if let failure = produce(to: topic, name: batch.topic, value: value, key: key, headers: list, target: receipt.target(index)) {
                failures[index] = failure
            }
            index += 1
        }
        receipt.expect(batch.count - failures.count)
        return (receipt, failures)
    }

    /// Hands the record to librdkafka with `target` as its opaque.
    private func produce(_ record: ProducerRecord, target: UnsafeMutablePointer<DeliveryTarget>) -> KafkaError? {
        let topic: OpaquePointer
        do {
            topic = try topics.handle(record.topic, client: client)
        } catch {
            return error
        }
        let headers = rd_kafka_headers_new(record.headers.count)
        for header in record.headers {
            header.withValueBytes { bytes in
                _ = rd_kafka_header_add(headers, header.name, -1, bytes.baseAddress, bytes.count)
            }
        }
        return record.value.withUnsafeBytes { value in
            withKey(record.key) { key in
                produce(to: topic, name: record.topic, value: value, key: key, headers: headers, target: target)
            }
        }
    }

    /// Hands bytes to librdkafka, which copies them and owns `headers` from here on; on
    /// failure (the error returned) `target` is the caller's again.
    private func produce(to topic: OpaquePointer, name: String, value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?,
                         headers: OpaquePointer?, target: UnsafeMutablePointer<DeliveryTarget>) -> KafkaError? {
        let result = voc_rd_kafka_produce(client.handle, topic, value.baseAddress, value.count,
                                          key?.baseAddress, key?.count ?? 0, headers, UnsafeMutableRawPointer(target))
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_headers_destroy(headers)
            return KafkaError.from(result, context: "producing to \(name)")
        }
        return nil
    }

    /// Produces one record and waits for the broker's acknowledgement.
    public func send(_ record: ProducerRecord) async throws(KafkaError) -> DeliveryReport {
        try await enqueue(record).delivered()
    }

    /// Records waiting in the local queue or in flight.
    public var queueLength: Int { Int(rd_kafka_outq_len(client.handle)) }

    /// True after librdkafka reported every broker down and before the next delivery.
    public var brokersReachable: Bool { !client.context.allBrokersDown.load(ordering: .relaxed) }

    /// True once the producer hit a fatal error (e.g. the idempotence guarantee could
    /// not be kept): it accepts nothing more and the process must be restarted.
    public var hasFatalError: Bool { rd_kafka_fatal_error(client.handle, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR }

    /// Waits until every queued record is delivered or failed, for at most `timeout`.
    public func flush(timeout: Duration = .seconds(10)) async {
        let client = self.client
        let milliseconds = timeout.milliseconds
        let result = await offPool(on: .global()) { rd_kafka_flush(client.handle, milliseconds) }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("producer flush left records undelivered", metadata: ["kafka.queue": "\(queueLength)"])
        }
    }
}

private func withKey<R>(_ key: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let key else { return body(nil) }
    return key.withUnsafeBytes { body($0) }
}

private let deliveryReportCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    rk, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    let target = opaque.assumingMemoryBound(to: DeliveryTarget.self)
    func topic() -> String { message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "" }
    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        RDKafkaClient.context(of: rk)?.allBrokersDown.store(false, ordering: .relaxed)
        DeliveryTarget.succeed(target, DeliveryReport(topic: topic(), partition: message.pointee.partition, offset: message.pointee.offset))
    } else {
        DeliveryTarget.fail(target, KafkaError.from(message.pointee.err, context: "delivering to \(topic())"))
    }
}

/// librdkafka topic handles by name, created once: producing by name looks the topic up
/// under a lock for every record.
private final class TopicHandles: Sendable {
    private let handles = Mutex<[String: SendableTopic]>([:])

    private struct SendableTopic: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// - Throws: ``KafkaError`` when librdkafka refuses the name.
    func handle(_ name: String, client: RDKafkaClient) throws(KafkaError) -> OpaquePointer {
        let handle: OpaquePointer? = handles.withLock { handles in
            if let known = handles[name] { return known.pointer }
            guard let created = rd_kafka_topic_new(client.handle, name, nil) else { return nil }
            handles[name] = SendableTopic(pointer: created)
            return created
        }
        guard let handle else { throw KafkaError.from(rd_kafka_last_error(), context: "opening topic \(name)") }
        return handle
    }

    /// Before the client is destroyed, which expects no handle of the application left.
    func destroyAll() {
        handles.withLock { handles in
            for handle in handles.values { rd_kafka_topic_destroy(handle.pointer) }
            handles = [:]
        }
    }
}
