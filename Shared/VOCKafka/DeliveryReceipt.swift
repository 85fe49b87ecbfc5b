import CRdKafka
import Foundation
import Synchronization

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
    func target(_ index: Int) -> UnsafeMutablePointer<DeliveryTarget> {
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

/// Whom a record's delivery report goes to; librdkafka holds a pointer to it as the
/// record's opaque, and the report callback takes it back.
enum DeliveryTarget {
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
