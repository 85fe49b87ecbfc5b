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
    private let topics = TopicHandles()

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
        try produce(record, to: .single(Unmanaged.passRetained(receipt)))
        return receipt
    }

    /// Queues many records under one receipt, which completes when every record queued
    /// has been acknowledged or has failed; one wait instead of one per record.
    ///
    /// A record the local queue refuses is reported in `failures` and the rest are still
    /// queued, so the caller can answer per record.
    public func enqueue(_ records: [ProducerRecord]) -> (receipt: BatchReceipt, failures: [Int: KafkaError]) {
        let batch = BatchReceipt()
        var failures: [Int: KafkaError] = [:]
        for (index, record) in records.enumerated() {
            do {
                try produce(record, to: .batch(Unmanaged.passRetained(batch), index))
            } catch {
                failures[index] = error
            }
        }
        batch.expect(records.count - failures.count)
        return (batch, failures)
    }

    /// Queues every record of `batch` under one receipt, as ``enqueue(_:)-([ProducerRecord])``
    /// does for a list of records: failures by the record's index in the batch.
    public func enqueue(_ batch: RecordBatch) -> (receipt: BatchReceipt, failures: [Int: KafkaError]) {
        let receipt = BatchReceipt()
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
            if let failure = produce(to: topic, name: batch.topic, value: value, key: key, headers: list,
                                     target: .batch(Unmanaged.passRetained(receipt), index)) {
                failures[index] = failure
            }
            index += 1
        }
        receipt.expect(batch.count - failures.count)
        return (receipt, failures)
    }

    /// Hands the record to librdkafka; on failure the target's retain is given back.
    private func produce(_ record: ProducerRecord, to target: DeliveryTarget) throws(KafkaError) {
        let topic: OpaquePointer
        do {
            topic = try topics.handle(record.topic, client: client)
        } catch {
            target.release()
            throw error
        }
        let headers = rd_kafka_headers_new(record.headers.count)
        for header in record.headers {
            header.withValueBytes { bytes in
                _ = rd_kafka_header_add(headers, header.name, -1, bytes.baseAddress, bytes.count)
            }
        }
        let failure = record.value.withUnsafeBytes { value in
            withKey(record.key) { key in
                produce(to: topic, name: record.topic, value: value, key: key, headers: headers, target: target)
            }
        }
        if let failure { throw failure }
    }

    /// Hands bytes to librdkafka, which copies them; it owns `headers` from here on, and on
    /// failure (the error returned) the target's retain is given back.
    private func produce(to topic: OpaquePointer, name: String, value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?,
                         headers: OpaquePointer?, target: DeliveryTarget) -> KafkaError? {
        let opaque = UnsafeMutablePointer<DeliveryTarget>.allocate(capacity: 1)
        opaque.initialize(to: target)
        let result = voc_rd_kafka_produce(client.handle, topic, value.baseAddress, value.count,
                                          key?.baseAddress, key?.count ?? 0, headers, UnsafeMutableRawPointer(opaque))
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_headers_destroy(headers)
            opaque.move().release()
            opaque.deallocate()
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
        let result = await offloaded { rd_kafka_flush(client.handle, milliseconds) }
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
    let target = opaque.assumingMemoryBound(to: DeliveryTarget.self).move()
    opaque.deallocate()
    func topic() -> String { message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "" }
    if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        RDKafkaClient.context(of: rk)?.allBrokersDown.store(false, ordering: .relaxed)
        target.succeed(DeliveryReport(topic: topic(), partition: message.pointee.partition, offset: message.pointee.offset))
    } else {
        target.fail(KafkaError.from(message.pointee.err, context: "delivering to \(topic())"))
    }
}

/// Whom a record's delivery report goes to; librdkafka holds a pointer to it as the
/// record's opaque, and the report callback takes it back.
private enum DeliveryTarget {
    case single(Unmanaged<DeliveryReceipt>)
    case batch(Unmanaged<BatchReceipt>, Int)

    /// A batch needs no report on success, so the report (a topic name copied per
    /// record) is only built for a single receipt.
    func succeed(_ report: @autoclosure () -> DeliveryReport) {
        switch self {
        case .single(let receipt): receipt.takeRetainedValue().complete(.success(report()))
        case .batch(let batch, let index): batch.takeRetainedValue().complete(index, nil)
        }
    }

    func fail(_ error: KafkaError) {
        switch self {
        case .single(let receipt): receipt.takeRetainedValue().complete(.failure(error))
        case .batch(let batch, let index): batch.takeRetainedValue().complete(index, error)
        }
    }

    /// Gives back the retain of a record librdkafka refused.
    func release() {
        switch self {
        case .single(let receipt): receipt.release()
        case .batch(let batch, _): batch.release()
        }
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

/// The promise of a batch of records' delivery: one wait, and the failures by index.
public final class BatchReceipt: Sendable {
    private struct State {
        var expected: Int?
        var completed = 0
        var failures: [Int: KafkaError] = [:]
        var waiter: CheckedContinuation<[Int: KafkaError], Never>?
        var done: Bool { expected.map { completed >= $0 } ?? false }
    }

    private let state = Mutex(State())

    init() {}

    /// Set once every record is handed over: reports may arrive before then.
    func expect(_ count: Int) {
        update { $0.expected = count }
    }

    /// One record's report: `nil` when the broker acknowledged it.
    func complete(_ index: Int, _ failure: KafkaError?) {
        update { state in
            state.completed += 1
            if let failure { state.failures[index] = failure }
        }
    }

    /// Applies `change` and wakes the waiter once every expected report is in.
    private func update(_ change: (inout State) -> Void) {
        let ready: (CheckedContinuation<[Int: KafkaError], Never>, [Int: KafkaError])? = state.withLock { state in
            change(&state)
            guard state.done, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.failures)
        }
        ready.map { $0.0.resume(returning: $0.1) }
    }

    /// Waits for every record and returns the ones that failed, by their index in the
    /// batch (an empty dictionary when the broker acknowledged all).
    public func delivered() async -> [Int: KafkaError] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Int: KafkaError], Never>) in
            let ready: [Int: KafkaError]? = state.withLock { state in
                if state.done { return state.failures }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
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
