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

/// Whom a record's delivery report goes to; librdkafka holds a pointer to it as the
/// record's opaque, and the report callback takes it back.
private enum DeliveryTarget {
    /// Allocated for the record, holding a retain of the receipt.
    case single(Unmanaged<DeliveryReceipt>)
    /// A slot of the batch receipt's, which holds one retain for all its records.
    case batch(Unmanaged<BatchReceipt>, Int)

    /// Completes the target's receipt. A batch needs no report on success, so the report
    /// (a topic name copied per record) is only built for a single receipt.
    static func succeed(_ target: UnsafeMutablePointer<DeliveryTarget>, _ report: @autoclosure () -> DeliveryReport) {
        switch target.pointee {
        case .single(let receipt):
            target.deallocate()
            receipt.takeRetainedValue().complete(.success(report()))
        case .batch(let receipt, let index):
            receipt.takeUnretainedValue().complete(index, nil)
        }
    }

    static func fail(_ target: UnsafeMutablePointer<DeliveryTarget>, _ error: KafkaError) {
        switch target.pointee {
        case .single(let receipt):
            target.deallocate()
            receipt.takeRetainedValue().complete(.failure(error))
        case .batch(let receipt, let index):
            receipt.takeUnretainedValue().complete(index, error)
        }
    }

    /// Gives back the retain of a record librdkafka refused.
    func release() {
        if case .single(let receipt) = self { receipt.release() }
    }
}

/// The promise of one record's delivery report.
///
/// Any number of tasks may await it, before or after the report arrives: each gets the
/// same result.
public final class DeliveryReceipt: Sendable {
    typealias Waiter = CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>

    /// pending (with every waiter so far) → done (the result, kept for later awaits).
    struct State {
        enum Phase {
            case pending([Waiter])
            case done(Result<DeliveryReport, KafkaError>)
        }

        /// What the caller of a transition does outside the lock.
        enum Action {
            case none
            case resume(Waiter, Result<DeliveryReport, KafkaError>)
            case resumeAll([Waiter], Result<DeliveryReport, KafkaError>)
        }

        private(set) var phase = Phase.pending([])

        /// The report arrived; a second report (there is none) changes nothing.
        mutating func complete(_ result: Result<DeliveryReport, KafkaError>) -> Action {
            guard case .pending(let waiters) = phase else { return .none }
            phase = .done(result)
            return .resumeAll(waiters, result)
        }

        /// A task awaits: it waits with the others, or has the result at once.
        mutating func wait(_ waiter: Waiter) -> Action {
            switch phase {
            case .pending(let waiters):
                phase = .pending(waiters + [waiter])
                return .none
            case .done(let result):
                return .resume(waiter, result)
            }
        }

        var waiterCount: Int {
            if case .pending(let waiters) = phase { return waiters.count }
            return 0
        }
    }

    private let state = Mutex(State())

    init() {}

    func complete(_ result: Result<DeliveryReport, KafkaError>) {
        run(state.withLock { $0.complete(result) })
    }

    /// Tasks waiting now (tests).
    var waiterCount: Int { state.withLock { $0.waiterCount } }

    private func run(_ action: State.Action) {
        switch action {
        case .none:
            break
        case .resume(let waiter, let result):
            waiter.resume(returning: result)
        case .resumeAll(let waiters, let result):
            for waiter in waiters { waiter.resume(returning: result) }
        }
    }

    /// Waits for the broker's acknowledgement; every await gets the same answer.
    /// - Throws: ``KafkaError`` when the record could not be delivered within
    ///   `message.timeout.ms` or the broker refused it.
    public func delivered() async throws(KafkaError) -> DeliveryReport {
        let result = await withCheckedContinuation { (continuation: Waiter) in
            run(state.withLock { $0.wait(continuation) })
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
        /// The retain that keeps the receipt (and its targets) alive for the reports.
        var retained: Unmanaged<BatchReceipt>?
        var done: Bool { expected.map { completed >= $0 } ?? false }
    }

    private let state = Mutex(State())
    /// One delivery target per record, the opaque librdkafka hands back with its report.
    private nonisolated(unsafe) let targets: UnsafeMutablePointer<DeliveryTarget>
    private let capacity: Int

    /// - Parameter records: How many records the batch may hold.
    init(records: Int) {
        capacity = records
        targets = .allocate(capacity: max(records, 1))
        let retained = Unmanaged.passRetained(self)
        for index in 0..<records { (targets + index).initialize(to: .batch(retained, index)) }
        state.withLock { $0.retained = retained }
    }

    deinit {
        targets.deallocate()
    }

    /// The opaque of record `index`.
    fileprivate func target(_ index: Int) -> UnsafeMutablePointer<DeliveryTarget> {
        precondition(index < capacity, "a record of the batch")
        return targets + index
    }

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

    /// Applies `change`, then, once every expected report is in, wakes the waiter and
    /// gives back the reports' retain (last: it may free the receipt).
    private func update(_ change: (inout State) -> Void) {
        let (waiter, failures, retained) = state.withLock { state -> (CheckedContinuation<[Int: KafkaError], Never>?, [Int: KafkaError], Unmanaged<BatchReceipt>?) in
            change(&state)
            guard state.done else { return (nil, [:], nil) }
            defer { state.waiter = nil; state.retained = nil }
            return (state.waiter, state.waiter == nil ? [:] : state.failures, state.retained)
        }
        waiter?.resume(returning: failures)
        retained?.release()
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
