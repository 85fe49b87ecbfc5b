import CRdKafka
import Foundation
import Logging
import Synchronization

/// A producer whose sends complete when the broker has acknowledged the record
/// (`acks=all` with idempotence by default).
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let poller: DedicatedThread
    private let logger: Logger

    /// Creates the producer and starts the thread that serves its delivery reports.
    /// - Throws: ``KafkaError`` with code `.configuration` for a bad property.
    public init(config: KafkaConfig, logger: Logger) throws(KafkaError) {
        self.client = try RDKafkaClient(kind: .producer, config: config, logger: logger) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
        self.logger = logger
        let client = self.client
        self.poller = DedicatedThread(name: "voc-kafka-producer-poll") {
            rd_kafka_poll(client.handle, 100)
        }
    }

    deinit {
        // Stopping the poll thread waits for its current timed poll and destroying the
        // handle can block: both happen on a Dispatch thread, not the caller's.
        let poller = self.poller
        let client = self.client
        DispatchQueue.global().async {
            poller.stop()
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
        let opaque = Unmanaged.passRetained(receipt).toOpaque()
        let headers = rd_kafka_headers_new(record.headers.count)
        for header in record.headers {
            header.value.withUnsafeBytes { bytes in
                _ = rd_kafka_header_add(headers, header.name, -1, bytes.baseAddress, bytes.count)
            }
        }
        let result = record.value.withUnsafeBytes { value in
            withKey(record.key) { keyPointer, keyLength in
                voc_rd_kafka_produce(client.handle, record.topic, value.baseAddress, value.count,
                                     keyPointer, keyLength, headers, opaque)
            }
        }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_headers_destroy(headers)
            Unmanaged<DeliveryReceipt>.fromOpaque(opaque).release()
            throw KafkaError.from(result, context: "producing to \(record.topic)")
        }
        return receipt
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
        let result = await offloaded { rd_kafka_flush(client.handle, milliseconds) }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("producer flush left records undelivered", metadata: ["kafka.queue": "\(queueLength)"])
        }
    }
}

private func withKey<R>(_ key: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let key else { return body(nil, 0) }
    return key.withUnsafeBytes { body($0.baseAddress, $0.count) }
}

private let deliveryReportCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    rk, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    let receipt = Unmanaged<DeliveryReceipt>.fromOpaque(opaque).takeRetainedValue()
    let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        RDKafkaClient.context(of: rk)?.allBrokersDown.store(false, ordering: .relaxed)
        receipt.complete(.success(DeliveryReport(topic: topic, partition: message.pointee.partition, offset: message.pointee.offset)))
    } else {
        receipt.complete(.failure(KafkaError.from(message.pointee.err, context: "delivering to \(topic)")))
    }
}

/// The promise of one record's delivery report.
public final class DeliveryReceipt: Sendable {
    private enum State {
        case pending(CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>?)
        case done(Result<DeliveryReport, KafkaError>)
    }

    private let state = Mutex<State>(.pending(nil))

    init() {}

    func complete(_ result: Result<DeliveryReport, KafkaError>) {
        let waiter: CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>? = state.withLock { state in
            guard case .pending(let continuation) = state else { return nil }
            state = .done(result)
            return continuation
        }
        waiter?.resume(returning: result)
    }

    /// Waits for the broker's acknowledgement.
    /// - Throws: ``KafkaError`` when the record could not be delivered within
    ///   `message.timeout.ms` or the broker refused it.
    public func delivered() async throws(KafkaError) -> DeliveryReport {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>) in
            let ready: Result<DeliveryReport, KafkaError>? = state.withLock { state in
                switch state {
                case .done(let result): return result
                case .pending: state = .pending(continuation); return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }
}
